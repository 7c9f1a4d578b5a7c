import { hyper, type RuleFactory } from './rule.ts'

// G ← G + g²;  θ ← θ − lr·g/(√G + ε)   (Duchi et al.; ε outside the root unless the spec says inside)
export const adagrad: RuleFactory = (spec) => {
  const eps = hyper(spec, 'epsilon', 1e-8)
  const inside = spec.convention?.['epsilon'] === 'inside-sqrt'
  return {
    slots: ['G'],
    initial: hyper(spec, 'initialAccumulator', 0),
    update: (theta, g, s, i) => {
      const G = (s['G']![i] = s['G']![i]! + g * g)
      return theta - (spec.lr * g) / (inside ? Math.sqrt(G + eps) : Math.sqrt(G) + eps)
    },
    convention: { epsilon: inside ? 'inside-sqrt' : 'outside-sqrt' },
  }
}
