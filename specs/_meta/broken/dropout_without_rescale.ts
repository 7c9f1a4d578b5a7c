// Broken on purpose: training-mode Dropout zeroes units but does not scale survivors by 1/(1 − p),
// so the expectation shrinks. Must be caught by regularization.dropout, naming Dropout.
import { constant, type Composite } from '../../../engine/autograd.ts'
import { createReferenceEngine } from '../../../engine/index.ts'
import { Dropout } from '../../../engine/ops/dropout.ts'
import { mul } from '../../../engine/ops/binary.ts'

const NoRescale: Composite = {
  name: 'Dropout',
  compose: (ins, attrs) => {
    const [, mask] = Dropout.compose(ins, attrs)
    return [mul(ins[0]!, constant(mask!.value)), mask!]
  },
}

export default createReferenceEngine('float32', [NoRescale], 'broken: dropout scale')
