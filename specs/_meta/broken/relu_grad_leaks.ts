// Broken on purpose: ReLU passes the gradient through for negative inputs too (a "straight-through"
// slip). Must be caught by activation.relu-gradient, naming Relu.
import { createReferenceEngine } from '../../../engine/index.ts'
import { Relu } from '../../../engine/ops/activation.ts'

export default createReferenceEngine('float32', [{ ...Relu, backward: (_x, _y, [g]) => [g] }], 'broken: relu grad')
