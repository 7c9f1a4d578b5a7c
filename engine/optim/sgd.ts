import type { RuleFactory } from './rule.ts'

// θ ← θ − lr·g
export const sgd: RuleFactory = (spec) => ({
  slots: [],
  update: (theta, g) => theta - spec.lr * g,
  convention: {},
})
