// Broken on purpose: LeakyRelu ignores its alpha attribute and always uses 0.01. Must be caught by
// the random-graph differential test, which names the first diverging node (a LeakyRelu).
import { createReferenceEngine } from '../../../engine/index.ts'
import { LeakyRelu } from '../../../engine/ops/activation.ts'

export default createReferenceEngine('float32', [{ ...LeakyRelu, forward: ([x]) => LeakyRelu.forward([x!], { alpha: 0.01 }) }], 'broken: leaky alpha')
