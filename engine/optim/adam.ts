import { hyper, type RuleFactory } from './rule.ts'

// m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ);  θ ← θ − lr·m̂/(√v̂ + ε)   (Kingma & Ba, Alg. 1)
export const adam: RuleFactory = (spec) => {
  const b1 = hyper(spec, 'beta1', 0.9)
  const b2 = hyper(spec, 'beta2', 0.999)
  const eps = hyper(spec, 'epsilon', 1e-8)
  return {
    slots: ['m', 'v'],
    update: (theta, g, s, i, t) => {
      const m = (s['m']![i] = b1 * s['m']![i]! + (1 - b1) * g)
      const v = (s['v']![i] = b2 * s['v']![i]! + (1 - b2) * g * g)
      const mHat = m / (1 - b1 ** t)
      const vHat = v / (1 - b2 ** t)
      return theta - (spec.lr * mHat) / (Math.sqrt(vHat) + eps)
    },
    convention: { epsilon: 'outside-sqrt', biasCorrection: 'yes' },
  }
}
