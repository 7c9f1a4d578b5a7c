import { hyper, type RuleFactory } from './rule.ts'

// Eg ← ρ·Eg + (1−ρ)·g²;  Δ = −√(Ed + ε)/√(Eg + ε)·g;  Ed ← ρ·Ed + (1−ρ)·Δ²;  θ ← θ + lr·Δ   (Zeiler 2012; lr = 1 there)
export const adadelta: RuleFactory = (spec) => {
  const rho = hyper(spec, 'rho', 0.95)
  const eps = hyper(spec, 'epsilon', 1e-6)
  return {
    slots: ['Eg', 'Ed'],
    update: (theta, g, s, i) => {
      const Eg = (s['Eg']![i] = rho * s['Eg']![i]! + (1 - rho) * g * g)
      const delta = (-Math.sqrt(s['Ed']![i]! + eps) / Math.sqrt(Eg + eps)) * g
      s['Ed']![i] = rho * s['Ed']![i]! + (1 - rho) * delta * delta
      return theta + spec.lr * delta
    },
    convention: { epsilon: 'inside-sqrt' },
  }
}
