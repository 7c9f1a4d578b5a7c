// Which (claim, engine) pairs a run is made of: every registered claim whose id matches one of the
// globs, on every selected engine. Each pair ends as exactly one record, whatever the engine does.
import { readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { isClaim, registry, type ClaimMeta, type InformationalMeta } from '../claim.ts'
import { globToRegExp } from '../expectations.ts'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

export const specFiles = (): string[] =>
  readdirSync(join(ROOT, 'specs'))
    .filter((f) => f.endsWith('.spec.ts'))
    .sort()
    .map((f) => join(ROOT, 'specs', f))

let loaded: Promise<void> | undefined
const fileOf = new Map<string, string>()
/** Import every spec file once (registering its claims, not running them), noting which file registers which claim. */
export const loadSpecs = (): Promise<void> =>
  (loaded ??= (async () => {
    for (const f of specFiles()) {
      const before = registry.length
      await import(pathToFileURL(f).href)
      for (const m of registry.slice(before)) fileOf.set(m.id, f)
    }
  })())

/**
 * The spec file that registers claim `id` (once loadSpecs has run). A runner worker imports only the
 * files of the claims it is given: a third of a worker's start-up was importing all of them.
 */
export function specFileOf(id: string): string {
  const f = fileOf.get(id)
  if (!f) throw new Error(`no spec file registers claim "${id}" (were the specs loaded?)`)
  return f
}

/** Register the claims of one spec file (a no-op when it is already imported). */
export const loadSpecFile = async (file: string): Promise<void> => void (await import(pathToFileURL(file).href))

export interface Pair {
  meta: ClaimMeta | InformationalMeta
  engine: string
}

/** The selected pairs in catalog order; claims may be ids or globs, comma-separated. */
export function select(claims: string, engines: string[]): Pair[] {
  const res = claims.split(',').filter(Boolean).map(globToRegExp)
  const metas = registry.filter((m) => res.some((re) => re.test(m.id)))
  return metas.flatMap((meta) => engines.map((engine) => ({ meta, engine })))
}

/** Exactly the listed pairs (engines already resolved, in the same order as the list's distinct engines). */
export function selectPairs(wanted: { claim: string; engine: string }[], resolved: string[]): Pair[] {
  const distinct = [...new Set(wanted.map((p) => p.engine))]
  return wanted.map((p) => {
    const meta = registry.find((m) => m.id === p.claim)
    if (!meta) throw new Error(`pairs file names claim "${p.claim}", which does not exist (\`nnspec list\`)`)
    return { meta, engine: resolved[distinct.indexOf(p.engine)]! }
  })
}

export const pairKey = (id: string, engine: string): string => `${id}@${engine}`
export { isClaim }
