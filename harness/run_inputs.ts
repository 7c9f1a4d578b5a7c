// Everything `nnspec run` reads before it starts, checked first: a bad input is one line naming the
// file, exit 2, no stack trace, and nothing is run or written.
import { fork } from 'node:child_process'
import { accessSync, constants, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { expectationFile, parseExpectations } from './expectations.ts'
import { BUILTIN_ENGINES, isBuiltin, moduleOf, resolveEnginePath } from './engines.ts'
import type { ConformanceReport } from './report/model.ts'
import { ROOT } from './runner/selection.ts'

/** A usage error: the CLI prints `nnspec: <message>` and exits 2. */
export class UsageError extends Error {}

const shown = (p: string) => relative(process.cwd(), p) || p

/** Built-in names stay names; anything else must be a module that exists and parses. */
export async function resolveEngines(arg: string): Promise<string[]> {
  const names = arg === 'all' ? [...BUILTIN_ENGINES] : arg.split(',').filter(Boolean)
  if (names.length === 0) throw new UsageError(`--engine names no engine; built-in engines: ${BUILTIN_ENGINES.join(', ')}`)
  const paths = names.map((e) => {
    if (isBuiltin(e)) return e
    try {
      return resolveEnginePath(e)
    } catch (err) {
      throw new UsageError((err as Error).message)
    }
  })
  // variants of one module are probed once
  const files = [...new Set(paths.filter((p) => !isBuiltin(p)).map(moduleOf))]
  const bad = await syntaxErrors(files)
  paths.forEach((p, i) => {
    const why = isBuiltin(p) ? undefined : bad.get(moduleOf(p))
    if (why) throw new UsageError(`engine module ${names[i]} does not parse: ${why}`)
  })
  return paths
}

/**
 * Load the modules in a throwaway process, one after the other (30 s each at most): the syntax errors
 * among them. One process for all (a soundness run names dozens of modules); a module that kills or
 * hangs that process is not a syntax error, and the modules after it get a fresh process.
 */
async function syntaxErrors(files: string[]): Promise<Map<string, string>> {
  const bad = new Map<string, string>()
  for (let rest = files; rest.length > 0; ) {
    const answered = await new Promise<number>((done) => {
      const child = fork(join(ROOT, 'harness/runner/probe_entry.js'), rest, { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], env: { ...process.env, NNSPEC_PROBE: '1' } })
      let n = 0
      let timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
      child.on('message', (m: { ok: boolean; message?: string }) => {
        if (!m.ok) bad.set(rest[n]!, m.message ?? 'a syntax error')
        n++
        clearTimeout(timer)
        timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
      })
      child.on('exit', () => {
        clearTimeout(timer)
        done(n)
      })
    })
    // the process died during rest[answered]: that module is to blame only if it was the first one
    // there (an earlier module may have left a timer or a rejection behind); else it gets a fresh process
    rest = rest.slice(answered === 0 ? 1 : answered)
  }
  return bad
}

/** Every engine's expectations file must parse (a malformed line names file and line). */
export function checkExpectations(engines: string[]): void {
  for (const e of engines) {
    const file = expectationFile(e)
    if (!existsSync(file)) continue
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (err) {
      throw new UsageError(`cannot read ${shown(file)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
    }
    try {
      parseExpectations(text, shown(file))
    } catch (err) {
      throw new UsageError((err as Error).message)
    }
  }
}

/** A saved conformance.json to compare with. */
export function readBaseline(path: string): ConformanceReport {
  const file = resolve(path)
  if (!existsSync(file)) throw new UsageError(`baseline ${path} not found`)
  let report: ConformanceReport
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport
  } catch (err) {
    throw new UsageError(`baseline ${path} is not valid JSON: ${(err as Error).message}`)
  }
  if (!report || typeof report !== 'object' || !Array.isArray(report.records) || typeof report.schemaVersion !== 'number') {
    throw new UsageError(`baseline ${path} is not a conformance report (no schemaVersion and records): write one with \`nnspec run\``)
  }
  return report
}

/** The report directory exists (or is created) and can be written. */
export function checkReportDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true })
    accessSync(dir, constants.W_OK)
  } catch (err) {
    throw new UsageError(`cannot write reports to ${shown(dir)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
}

/** A file of (claim, engine) pairs to run instead of claims × engines: `[{ "claim": id, "engine": name or path }, …]`. */
export function readPairs(path: string): { claim: string; engine: string }[] {
  let pairs: unknown
  try {
    pairs = JSON.parse(readFileSync(resolve(path), 'utf8'))
  } catch (err) {
    throw new UsageError(`pairs file ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : `not valid JSON: ${(err as Error).message}`}`)
  }
  if (!Array.isArray(pairs) || !pairs.every((p) => p && typeof p.claim === 'string' && typeof p.engine === 'string')) {
    throw new UsageError(`pairs file ${path} must be a JSON array of { "claim": "<id>", "engine": "<name or path>" }`)
  }
  return pairs as { claim: string; engine: string }[]
}
