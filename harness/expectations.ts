// ci/expectations/<engine>.txt: known skips and expected failures, one per line with its reason.
//   <claim id or glob> skip <reason>
//   <claim id or glob> fail <reason>
//   <claim id>[<part>,<part>] fail <reason>     (a claim made of parts: only these parts may fail)
// Built-in engines read the package's ci/expectations; an engine module reads the one of the
// directory nnspec runs in (its project), or the file or directory given by --expectations.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isBuiltin, splitVariant } from './engines.ts'

export interface Expectation {
  pattern: string
  action: 'skip' | 'fail'
  /** the parts expected to fail (the others must pass); undefined: the whole claim */
  parts?: string[]
  reason: string
  where: string
}

export const globToRegExp = (glob: string): RegExp =>
  new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`)

export function parseExpectations(text: string, file: string): Expectation[] {
  const out: Expectation[] = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim()
    if (!line) return
    const m = /^([^\s[]+)(?:\[([^\]]*)\])?\s+(skip|fail)\s+(.+)$/.exec(line)
    if (!m) throw new Error(`${file}:${i + 1}: expected "<claim-id>[<parts>] skip|fail <reason>", got "${raw.trim()}"`)
    const parts = m[2]?.split(',').map((p) => p.trim()).filter(Boolean)
    if (m[2] !== undefined && (parts!.length === 0 || m[3] === 'skip')) throw new Error(`${file}:${i + 1}: parts are named only on a fail entry, and at least one: "${raw.trim()}"`)
    out.push({ pattern: m[1]!, action: m[3] as 'skip' | 'fail', ...(parts ? { parts } : {}), reason: m[4]!, where: `${file}:${i + 1}` })
  })
  return out
}

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../ci/expectations')

/** The expectations file of an engine: a built-in's in the package, a module's in the project (or --expectations). */
export function expectationFile(engine: string, override = process.env['NNSPEC_EXPECTATIONS']): string {
  // a module's variant (`my_engine.ts#float64`) is an engine of its own: my_engine.float64.txt
  const [file, variant] = splitVariant(engine)
  const name = `${basename(file).replace(/\.[cm]?[jt]s$/, '')}${variant ? `.${variant}` : ''}.txt`
  if (isBuiltin(engine)) return resolve(PACKAGE_DIR, name)
  if (override) return existsSync(override) && statSync(override).isFile() ? resolve(override) : resolve(override, name)
  return resolve(process.cwd(), 'ci/expectations', name)
}

export function expectationsFor(engine: string): Expectation[] {
  const file = expectationFile(engine)
  return existsSync(file) ? parseExpectations(readFileSync(file, 'utf8'), relative(process.cwd(), file) || file) : []
}

export const expectationOf = (list: Expectation[], id: string): Expectation | undefined =>
  list.find((e) => globToRegExp(e.pattern).test(id))
