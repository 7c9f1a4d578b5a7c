// Every hand-written broken engine of this folder as a variant of one module: `all.ts#zero_gradients`
// is the engine of zero_gradients.ts. The runner gives each engine module processes of its own (a
// module may change process globals), and starting one costs about a second of CPU; the broken
// engines are the reference engine with one thing changed and touch no global, so the soundness test
// runs them through this module and they share a few processes instead of starting one each.
import { readdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Engine } from '../../../contract/types.ts'

/** Helpers, the per-op family (a module of variants already) and this file: not engines of their own. */
const NOT_ENGINES = new Set(['adapt', 'all', 'optimizers_broken', 'per_op', 'reexports', 'rewrite'])

const names = readdirSync(dirname(fileURLToPath(import.meta.url)))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .filter((n) => !NOT_ENGINES.has(n))

export const variants: Record<string, () => Promise<Engine>> = Object.fromEntries(
  names.map((n) => [n, async () => ((await import(`./${n}.ts`)) as { default: Engine }).default]),
)
