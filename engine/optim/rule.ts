// What every update rule is: per-element state slots and one update of θ given its gradient g.
import type { OptimizerSpec } from '../../contract/types.ts'

/** Per-element state of one parameter, by slot name (velocity, moments, accumulators). */
export type Slots = Record<string, Float64Array>

export interface Rule {
  slots: string[]
  /** Initial value of the slots (most start at 0; tfjs's AdaGrad starts at 0.1). */
  initial?: number
  /** New value of element i of θ; may update slots[·][i]. t counts steps from 1. */
  update(theta: number, g: number, s: Slots, i: number, t: number): number
  /** The conventions this rule follows, stated in reports. */
  convention: Record<string, string>
}

export type RuleFactory = (spec: OptimizerSpec) => Rule

export const hyper = (spec: OptimizerSpec, key: string, dflt: number): number => spec.params?.[key] ?? dflt
