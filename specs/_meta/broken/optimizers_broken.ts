// Update rules broken on purpose, one per engine module below (each re-exports this with one bug).
import { createReferenceEngine } from '../../../engine/index.ts'
import { createOptimizer, RULES } from '../../../engine/optim/index.ts'
import { clipByValue } from '../../../engine/optim/clip.ts'
import type { RuleFactory } from '../../../engine/optim/rule.ts'
import type { TensorData } from '../../../contract/types.ts'

export function withRule(name: string, rule: string, factory: RuleFactory) {
  return createReferenceEngine('float32', [], name, (spec) => createOptimizer(spec, { ...RULES, [rule]: factory }))
}

/** Clip each element to the norm bound instead of rescaling the whole gradient. */
export function withPerElementClip(name: string) {
  const perElement = (grads: Record<string, TensorData>, c: number) => clipByValue(grads, c)
  return createReferenceEngine('float32', [], name, (spec) => createOptimizer(spec, RULES, { byValue: clipByValue, byNorm: perElement }))
}
