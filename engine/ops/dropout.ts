// Dropout (ONNX opset 13+): in training mode each element is kept with probability 1 − ratio and
// scaled by 1/(1 − ratio) ("inverted" dropout, so the expectation is unchanged); otherwise identity.
// The mask comes from the `seed` attribute: the same seed gives the same mask on every run.
import { constant, type Composite } from '../autograd.ts'
import { Rng } from '../../contract/rng.ts'
import { Tensor, alloc } from '../tensor.ts'
import { mul } from './binary.ts'

// y = x ⊙ m/(1 − p), m ~ Bernoulli(1 − p);  the gradient is the same mask (from Mul)
export const Dropout: Composite = {
  name: 'Dropout',
  compose: ([x], a) => {
    const p = typeof a['ratio'] === 'number' ? (a['ratio'] as number) : 0.5
    const training = Boolean(a['training_mode'])
    if (p < 0 || p >= 1) throw new Error(`ratio ${p} must be in [0, 1)`)
    const keep = alloc(x!.dtype, x!.value.size)
    if (!training || p === 0) return [x!, constant(new Tensor(x!.dtype, x!.shape, keep.fill(1)))]
    const rng = new Rng(typeof a['seed'] === 'number' ? (a['seed'] as number) : 0)
    for (let i = 0; i < keep.length; i++) keep[i] = rng.next() < p ? 0 : 1
    const scale = new Tensor(x!.dtype, x!.shape, keep.map((k) => k / (1 - p)))
    return [mul(x!, constant(scale)), constant(new Tensor(x!.dtype, x!.shape, keep))]
  },
}
