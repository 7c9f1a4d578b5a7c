// Broken on purpose: Dropout drops by position, not at random (every k-th unit, k = round(1/p)): the
// right fraction, the right scale, the right mean, and no randomness at all.
import { constant, type Composite } from '../../../engine/autograd.ts'
import { createReferenceEngine } from '../../../engine/index.ts'
import { mul } from '../../../engine/ops/binary.ts'
import { Tensor } from '../../../engine/tensor.ts'

const Periodic: Composite = {
  name: 'Dropout',
  compose: ([x], a) => {
    const p = typeof a['ratio'] === 'number' ? (a['ratio'] as number) : 0.5
    if (!a['training_mode'] || p === 0) return [x!, constant(Tensor.full(x!.dtype, x!.shape, 1))]
    const k = Math.round(1 / p)
    const keep = x!.value.data.map((_, i) => (p >= 0.5 ? (i % k === 0 ? 1 : 0) : i % k === 0 ? 0 : 1))
    return [mul(x!, constant(new Tensor(x!.dtype, x!.shape, keep.map((m) => m / (1 - p))))), constant(new Tensor(x!.dtype, x!.shape, keep))]
  },
}
export default createReferenceEngine('float32', [Periodic], 'broken: dropout mask by position')
