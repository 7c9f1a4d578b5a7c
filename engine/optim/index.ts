// The reference engine's optimizers behind the contract's `optimizer(spec)`: per-parameter state,
// a step counter, L2 weight decay folded into the gradient, and the chosen rule per element.
import type { Optimizer, OptimizerRule, OptimizerSpec, TensorData } from '../../contract/types.ts'
import { adadelta } from './adadelta.ts'
import { adagrad } from './adagrad.ts'
import { adam } from './adam.ts'
import { momentum } from './momentum.ts'
import { nesterov } from './nesterov.ts'
import { rmsprop } from './rmsprop.ts'
import { clipByGlobalNorm, clipByValue } from './clip.ts'
import { hyper, type RuleFactory, type Slots } from './rule.ts'
import { sgd } from './sgd.ts'

export const RULES: Record<OptimizerRule, RuleFactory> = { sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam }

/** `rules` lets a test engine swap one update rule (specs/_meta). */
export function createOptimizer(spec: OptimizerSpec, rules: Record<string, RuleFactory> = RULES, clip = { byValue: clipByValue, byNorm: clipByGlobalNorm }): Optimizer {
  const factory = rules[spec.rule]
  if (!factory) throw new Error(`unknown optimizer rule "${spec.rule}" (have ${Object.keys(RULES).join(', ')})`)
  const rule = factory(spec)
  const wd = hyper(spec, 'weightDecay', 0)
  const state = new Map<string, Slots>()
  let t = 0
  return {
    convention: { ...rule.convention, weightDecay: 'L2 added to the gradient', clipNorm: 'global norm over all parameters' },
    step(params, rawGrads) {
      t++
      // clipping (params clipValue / clipNorm) acts on the whole set of gradients, before the rule
      let grads = rawGrads
      if (spec.params?.['clipValue'] !== undefined) grads = clip.byValue(grads, spec.params['clipValue'])
      if (spec.params?.['clipNorm'] !== undefined) grads = clip.byNorm(grads, spec.params['clipNorm'])
      const out: Record<string, TensorData> = {}
      for (const [name, p] of Object.entries(params)) {
        const g = grads[name]
        if (!g) throw new Error(`optimizer ${spec.rule}: no gradient for parameter "${name}"`)
        const pd = p.data as Float32Array | Float64Array
        const gd = g.data as Float32Array | Float64Array
        if (gd.length !== pd.length) throw new Error(`optimizer ${spec.rule}: gradient of "${name}" has ${gd.length} values, parameter ${pd.length}`)
        let s = state.get(name)
        if (!s) {
          s = Object.fromEntries(rule.slots.map((k) => [k, new Float64Array(pd.length).fill(rule.initial ?? 0)]))
          state.set(name, s)
        }
        const next = pd.slice()
        for (let i = 0; i < pd.length; i++) next[i] = rule.update(pd[i]!, gd[i]! + wd * pd[i]!, s, i, t)
        out[name] = { ...p, data: next }
      }
      return out
    },
  }
}
