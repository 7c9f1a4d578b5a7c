// Broken on purpose: Sigmoid's gradient is dy·σ instead of dy·σ(1−σ), a classic slip.
// Must be caught by backprop.chain-rule (and activation.sigmoid-saturates), naming Sigmoid.
import { createReferenceEngine } from '../../../engine/index.ts'
import { Sigmoid } from '../../../engine/ops/activation.ts'
import { mul } from '../../../engine/ops/binary.ts'

export default createReferenceEngine('float32', [{ ...Sigmoid, backward: (_x, [y], [g]) => [mul(g!, y!)] }], 'broken: sigmoid grad')
