// Broken on purpose: ReduceMean's gradient forgets to divide by the count (it is ReduceSum's).
// Must be caught by backprop.chain-rule, naming ReduceMean.
import { createReferenceEngine } from '../../../engine/index.ts'
import { ReduceMean, ReduceSum } from '../../../engine/ops/reduce.ts'

export default createReferenceEngine('float32', [{ ...ReduceMean, backward: ReduceSum.backward }], 'broken: mean grad')
