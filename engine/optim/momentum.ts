import { hyper, type RuleFactory } from './rule.ts'

// v ← μ·v + g;  θ ← θ − lr·v   (heavy ball, undampened: the form PyTorch and tf.train.momentum use)
export const momentum: RuleFactory = (spec) => {
  const mu = hyper(spec, 'momentum', 0.9)
  return {
    slots: ['v'],
    update: (theta, g, s, i) => {
      const v = (s['v']![i] = mu * s['v']![i]! + g)
      return theta - spec.lr * v
    },
    convention: { momentum: 'heavy-ball' },
  }
}
