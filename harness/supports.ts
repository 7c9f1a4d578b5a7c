// Asking an engine what it can run. supports(node) with a bare probe, `{ op, inputs: [], outputs: [] }`,
// asks "do you have this op at all?" (the contract allows it); with operands and attributes it asks
// about this use of the op. Claims and scaffolds ask through these, with the engine itself.
import type { Engine, Node } from '../contract/types.ts'

/** Anything that answers supports(node): an engine, or the part of one a helper needs. */
export type Supports = Pick<Engine, 'supports'>

/** A node of `op` with `inputs` placeholder operands (none: the bare probe) and the given attributes. */
export const probe = (op: string, inputs = 0, attrs?: Record<string, unknown>): Node => ({
  op,
  inputs: Array.from({ length: inputs }, (_, i) => `i${i}`),
  outputs: inputs > 0 ? ['o'] : [],
  ...(attrs ? { attrs } : {}),
})

/** The engine's reason for the first of these ops (bare probes) or nodes it cannot run; undefined when it runs them all. */
export function lacks(engine: Supports, ...wanted: (string | Node)[]): string | undefined {
  for (const w of wanted) {
    const ok = engine.supports(typeof w === 'string' ? probe(w) : w)
    if (ok !== true) return ok
  }
  return undefined
}

/** Whether the engine has every one of these ops. */
export const hasOps = (engine: Supports, ...ops: string[]): boolean => lacks(engine, ...ops) === undefined
