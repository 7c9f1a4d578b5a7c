// ci/expectations/<engine>.txt: known skips and expected failures, one per line with its reason.
//   <claim id or glob> skip <reason>
//   <claim id or glob> fail <reason>
import { existsSync, readFileSync } from 'node:fs'
import { basename, resolve } from 'node:path'

export interface Expectation {
  pattern: string
  action: 'skip' | 'fail'
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
    const m = /^(\S+)\s+(skip|fail)\s+(.+)$/.exec(line)
    if (!m) throw new Error(`${file}:${i + 1}: expected "<claim-id> skip|fail <reason>", got "${raw.trim()}"`)
    out.push({ pattern: m[1]!, action: m[2] as 'skip' | 'fail', reason: m[3]!, where: `${file}:${i + 1}` })
  })
  return out
}

/** The expectations file of an engine: by its built-in name, or by its module's file name. */
export function expectationsFor(engine: string, dir = resolve(process.cwd(), 'ci/expectations')): Expectation[] {
  const file = resolve(dir, `${basename(engine).replace(/\.[cm]?[jt]s$/, '')}.txt`)
  return existsSync(file) ? parseExpectations(readFileSync(file, 'utf8'), file) : []
}

export const expectationOf = (list: Expectation[], id: string): Expectation | undefined =>
  list.find((e) => globToRegExp(e.pattern).test(id))
