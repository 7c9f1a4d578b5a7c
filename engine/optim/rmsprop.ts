import { hyper, type RuleFactory } from './rule.ts'

// E ← ρ·E + (1−ρ)·g²;  θ ← θ − lr·g/(√E + ε)   (Hinton's lecture 6e; ε inside the root if the spec says so)
export const rmsprop: RuleFactory = (spec) => {
  const rho = hyper(spec, 'rho', 0.9)
  const eps = hyper(spec, 'epsilon', 1e-8)
  const inside = spec.convention?.['epsilon'] === 'inside-sqrt'
  return {
    slots: ['E'],
    update: (theta, g, s, i) => {
      const E = (s['E']![i] = rho * s['E']![i]! + (1 - rho) * g * g)
      return theta - (spec.lr * g) / (inside ? Math.sqrt(E + eps) : Math.sqrt(E) + eps)
    },
    convention: { epsilon: inside ? 'inside-sqrt' : 'outside-sqrt' },
  }
}
