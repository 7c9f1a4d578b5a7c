import { hyper, type RuleFactory } from './rule.ts'

// v ← μ·v + g;  θ ← θ − lr·(g + μ·v)   (Nesterov's look-ahead in Sutskever's reformulation)
export const nesterov: RuleFactory = (spec) => {
  const mu = hyper(spec, 'momentum', 0.9)
  return {
    slots: ['v'],
    update: (theta, g, s, i) => {
      const v = (s['v']![i] = mu * s['v']![i]! + g)
      return theta - spec.lr * (g + mu * v)
    },
    convention: { momentum: 'nesterov-sutskever' },
  }
}
