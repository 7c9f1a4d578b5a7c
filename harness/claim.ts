// claim(meta, body): one catalog claim, run on every selected engine as one vitest test each.
// The body returns a verdict; a Mismatch thrown from an assertion refutes the claim with its message
// as evidence; Unsupported skips; anything else (or a hang) is an `error`.
import { delimiter, isAbsolute, relative } from 'node:path'
import type { Compiled, Engine, FloatDType } from '../contract/types.ts'
import { Mismatch } from './assert.ts'
import { loadEngine } from './engines.ts'
import { batching } from './batching.ts'
import { expectationOf, expectationsFor, globToRegExp, type Expectation } from './expectations.ts'
import { countCalls, describeCall, guard, lastCall } from './guard.ts'
import { lacks } from './supports.ts'
import { Unsupported } from './unsupported.ts'
import { Rng } from '../contract/rng.ts'

export type Verdict = 'confirmed' | 'refuted' | 'inconclusive'
export type ClaimKind = 'exact' | 'metamorphic' | 'gradient' | 'golden' | 'statistical' | 'benchmark' | 'informational'
export type Need = 'grad' | 'hvp' | 'optimizer'
export type Status = 'pass' | 'fail' | 'skip' | 'error' | 'xfail' | 'stale' | 'info'

export interface ClaimMeta {
  id: string
  kind: ClaimKind | ClaimKind[]
  expect: Verdict
  source: string
  quote: string
  reading: string
  ops: string[]
  needs?: Need[]
  timeoutMs?: number
}

export interface ClaimContext {
  engine: Engine
  engineName: string
  dtype: FloatDType
  seed: number
  rng: Rng
  evidence: Record<string, unknown>
  replay: string
  numRuns: number
  reference(): Promise<Engine>
  /** the engine with no harness wrapper (no contract checks, no batching): only for timing, never for values */
  timing: Engine
  /** the parts a claim made of parts checked, and those that failed (harness/parts.ts) */
  parts: { checked: Set<string>; failed: Set<string> }
}

const memos = new WeakMap<ClaimContext, Map<string, Promise<unknown>>>()

/**
 * make() once per claim run and key (compiling a network is not free). The promise is kept, so
 * concurrent trials asking for the same graph share one compiled graph, and with it its batching.
 */
export function perClaim<T>(ctx: ClaimContext, key: string, make: () => Promise<T>): Promise<T> {
  const m = memos.get(ctx) ?? new Map<string, Promise<unknown>>()
  memos.set(ctx, m)
  if (!m.has(key)) m.set(key, make())
  return m.get(key) as Promise<T>
}

export interface ClaimOutcome {
  verdict: Verdict
  counterexample?: unknown
}

export type ClaimBody = (ctx: ClaimContext) => Promise<Verdict | ClaimOutcome>

/** What the report keeps of one claim on one engine. */
export interface ClaimRecord {
  id: string
  engine: string
  kind: ClaimKind[]
  expected: Verdict | 'informational'
  verdict?: Verdict
  status: Status
  evidence: Record<string, unknown>
  seed: number
  counterexample?: string
  reason?: string
  message?: string
  /** the control that failed, if one did (the verdict is then inconclusive and the claim fails) */
  control?: string
  /** the engine's own version string */
  engineVersion?: string
  /** how many times each engine method was called (what the claim actually exercised) */
  engineCalls?: Record<string, number>
  replay: string
  durationMs: number
  source: string
  quote: string
  reading: string
  /** the ops the claim declares (searchable in the report) */
  ops?: string[]
}

export { Unsupported } from './unsupported.ts'

/** Runs one part of a claim; if the engine cannot run it (Unsupported), hands over why instead of skipping the whole claim. */
export async function skippedIfUnsupported(skip: (why: string) => void, part: () => Promise<void>): Promise<void> {
  try {
    await part()
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e
    skip(e.message)
  }
}

/**
 * A control of the claim failed: what the claim compares against did not work on this engine (the
 * trainer did not train, the optimizer did not move, the mechanism is not the published one). The
 * verdict is `inconclusive` with this reason, and the claim never passes, even where `inconclusive`
 * is its expected verdict: an engine that cannot run the experiment has not confirmed anything.
 */
export class ControlFailed extends Error {
  override name = 'ControlFailed'
}

/** Check a control; its failure ends the claim as `inconclusive` (and failed) with `reason`. */
export function control(ctx: ClaimContext, cond: boolean, reason: string, evidence?: Record<string, unknown>): void {
  if (evidence !== undefined) Object.assign((ctx.evidence['controls'] ??= {}) as Record<string, unknown>, evidence)
  if (!cond) throw new ControlFailed(reason)
}

export function requireGrad(c: Compiled): asserts c is Compiled & Required<Pick<Compiled, 'valueAndGrad'>> {
  if (!c.valueAndGrad) throw new Unsupported('engine has no valueAndGrad (forward only)')
}

export const DEFAULT_SEED = 20261124
export const settings = () => ({
  engines: (process.env['NNSPEC_ENGINES'] ?? 'reference,reference-f64').split(',').filter(Boolean),
  claims: (process.env['NNSPEC_CLAIMS'] ?? '*').split(',').map(globToRegExp),
  seed: Number(process.env['NNSPEC_SEED'] ?? DEFAULT_SEED),
  numRuns: Number(process.env['NNSPEC_RUNS'] ?? 100),
  timeoutMs: Number(process.env['NNSPEC_TIMEOUT'] ?? 60_000),
})

/** Every claim and informational row seen, in registration order (`nnspec list`, the runner's selection). */
export const registry: (ClaimMeta | InformationalMeta)[] = []
/** The body of every registered claim, by id: what a runner worker executes. */
export const bodies = new Map<string, ClaimBody>()
export const isClaim = (m: ClaimMeta | InformationalMeta): m is ClaimMeta => 'expect' in m

export interface InformationalMeta {
  id: string
  source: string
  quote: string
  reading: string
}

const kinds = (k: ClaimKind | ClaimKind[]): ClaimKind[] => (Array.isArray(k) ? k : [k])
const replayOf = (engine: string, id: string, seed: number) => {
  const e = isAbsolute(engine) ? relative(process.cwd(), engine) : engine
  // cases from a user's directories exist only when `nnspec onnx` is pointed at them again
  const dirs = id.startsWith('onnx.') ? process.env['NNSPEC_ONNX_DIRS']?.split(delimiter).map((d) => relative(process.cwd(), d) || '.') : undefined
  return dirs ? `npx nnspec onnx ${dirs.join(' ')} --engine ${e}` : `npx nnspec run --engine ${e} --claims ${id} --seed ${seed}`
}

/** The message of a claim whose engine stopped answering, the same from the in-process timer and the runner's watchdog. */
export const noResponse = (id: string, ms: number, call = lastCall()): string =>
  `engine did not respond within ${Number((ms / 1000).toPrecision(3))} s while running ${id} (${describeCall(call)})`

let abandoned = false
/** True once a claim was timed out while its work may still be running: the process should not be reused. */
export const hasAbandonedWork = (): boolean => abandoned

function withTimeout<T>(p: Promise<T>, ms: number, id: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abandoned = true
      reject(new Error(noResponse(id, ms)))
    }, ms)
  })
  return Promise.race([p, t]).finally(() => clearTimeout(timer))
}

/**
 * A claim listed as failing: xfail when exactly what is listed fails. A part that fails without being
 * listed, or a listed part that now passes (or is no longer checked), makes the entry wrong: fail or
 * stale. A claim made of parts must name them: a whole-claim entry would hide every new failing part.
 */
export function expectedFailure(rec: ClaimRecord, e: Expectation, pass: boolean, parts: ClaimContext['parts'], message: string | undefined): Partial<ClaimRecord> {
  const at = `${rec.id} @ ${rec.engine}`
  if (!e.parts) {
    if (parts.checked.size > 0) return { status: 'fail', message: `${at}: the entry at ${e.where} names no parts, but this claim is made of parts: list the failing ones, e.g. ${rec.id}[${[...parts.failed].join(',')}]${message ? `; ${message}` : ''}` }
    return pass ? { status: 'stale', message: `${at} now passes: remove its entry at ${e.where}` } : { status: 'xfail', reason: e.reason, ...(message ? { message } : {}) }
  }
  const unlisted = [...parts.failed].filter((p) => !e.parts!.includes(p))
  if (unlisted.length > 0 || (!pass && parts.failed.size === 0)) {
    return { status: 'fail', message: `${at}: ${unlisted.length > 0 ? `parts ${unlisted.join(', ')} fail but are not listed` : 'it fails outside its parts'} at ${e.where}; ${message ?? ''}` }
  }
  const fixed = e.parts.filter((p) => !parts.failed.has(p))
  if (fixed.length > 0) return { status: 'stale', message: `${at}: listed parts ${fixed.join(', ')} ${fixed.some((p) => parts.checked.has(p)) ? 'now pass' : 'were not checked'}: remove them from ${e.where}` }
  return { status: 'xfail', reason: e.reason, ...(message ? { message } : {}) }
}

/** The first stack frame in a spec (else in the harness, outside the boundary code) that led to an error. */
function whereIn(e: Error): string | undefined {
  const frames = (e.stack ?? '').split('\n').filter((l) => l.trim().startsWith('at ') && !/harness\/(guard|claim|batching)\.ts/.test(l))
  return (frames.find((l) => l.includes('/specs/')) ?? frames.find((l) => l.includes('/harness/')))?.trim()
}

/** What was thrown, as text, whatever was thrown (an adapter may throw a string or undefined). */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : typeof e === 'string' ? e : `a non-Error value was thrown: ${String(e)}`)

/** A claim's time limit: its own when it declares a longer one, else --timeout (60 s by default). */
export const timeoutOf = (meta: ClaimMeta): number => Math.max(meta.timeoutMs ?? 0, settings().timeoutMs)

/** A claim's record before it has run (status `error` until something better is known). */
export function newRecord(meta: ClaimMeta, engineName: string, seed: number): ClaimRecord {
  return {
    id: meta.id,
    engine: engineName,
    kind: kinds(meta.kind),
    expected: meta.expect,
    status: 'error',
    evidence: {},
    seed,
    replay: replayOf(engineName, meta.id, seed),
    durationMs: 0,
    source: meta.source,
    quote: meta.quote,
    reading: meta.reading,
    ops: meta.ops,
  }
}

/** The message of a claim test that ended without reporting its record. */
export const NO_RECORD = 'the claim ended without a record'

/** An informational row's record: listed, not run. */
export const infoRecord = (meta: InformationalMeta, engine: string, seed: number): ClaimRecord => ({
  ...meta,
  engine,
  kind: ['informational'],
  expected: 'informational',
  status: 'info',
  evidence: {},
  seed,
  replay: '',
  durationMs: 0,
})

/** Run one claim on one engine and classify the outcome. Independent of vitest; never throws. */
export async function runClaim(meta: ClaimMeta, body: ClaimBody, engineName: string, seed = settings().seed): Promise<ClaimRecord> {
  const started = performance.now()
  const rec = newRecord(meta, engineName, seed)
  const done = (r: Partial<ClaimRecord>): ClaimRecord => Object.assign(rec, r, { durationMs: Math.round(performance.now() - started) })
  const errorOf = (e: unknown) => {
    const msg = messageOf(e)
    const where = e instanceof Error ? whereIn(e) : undefined
    return done({ status: 'error', message: `${meta.id} @ ${engineName}: error: ${msg}${where ? ` (${where})` : ''}${msg.includes('replay:') ? '' : `; replay: ${rec.replay}`}` })
  }
  let expectation: ReturnType<typeof expectationOf>
  try {
    expectation = expectationOf(expectationsFor(engineName), meta.id)
  } catch (e) {
    return errorOf(e)
  }
  if (expectation?.action === 'skip') return done({ status: 'skip', reason: `${expectation.reason} (${expectation.where})` })
  let engine: Engine
  try {
    engine = guard(await loadEngine(engineName))
    rec.engineVersion = String(engine.version)
    for (const op of meta.ops) {
      const ok = lacks(engine, op)
      if (ok !== undefined) return done({ status: 'skip', reason: `${op}: ${ok}` })
    }
  } catch (e) {
    return errorOf(e)
  }
  if (meta.needs?.includes('optimizer') && !engine.optimizer) return done({ status: 'skip', reason: 'engine has no optimizer' })
  const dtype = Array.isArray(engine.dtypes) ? engine.dtypes.find((d): d is FloatDType => d === 'float32' || d === 'float64') : undefined
  if (!dtype) return done({ status: 'skip', reason: `engine computes in ${JSON.stringify(engine.dtypes)}, no float type` })
  const calls = countCalls(engine)
  const ctx: ClaimContext = {
    engine: batching(calls.engine, (msg) => (rec.evidence['batching'] = msg)),
    engineName,
    dtype,
    seed,
    rng: new Rng(seed).fork(meta.id),
    evidence: rec.evidence,
    replay: rec.replay,
    numRuns: settings().numRuns,
    reference: () => loadEngine('reference-f64'),
    timing: await loadEngine(engineName),
    parts: { checked: new Set(), failed: new Set() },
  }
  try {
    const out = await withTimeout(body(ctx), timeoutOf(meta), meta.id)
    const o = typeof out === 'string' ? { verdict: out } : out
    rec.verdict = o.verdict
    if (o.counterexample !== undefined) rec.counterexample = typeof o.counterexample === 'string' ? o.counterexample : JSON.stringify(o.counterexample)
  } catch (e) {
    if (e instanceof Unsupported) return done({ status: 'skip', reason: e.message })
    if (e instanceof ControlFailed) {
      rec.verdict = 'inconclusive'
      rec.control = e.message
    } else if (e instanceof Mismatch) {
      rec.verdict = 'refuted'
      rec.counterexample = e.message
    } else return errorOf(e)
  } finally {
    rec.engineCalls = { ...calls.counts }
  }
  const pass = rec.verdict === meta.expect && !rec.control
  const detail = rec.counterexample ? `: ${rec.counterexample}` : ''
  const got = rec.control ? `${rec.verdict} because a control failed: ${rec.control}` : `${rec.verdict}${detail}`
  const message = pass ? undefined : `${meta.id} @ ${engineName}: expected ${meta.expect} but got ${got}${got.includes('replay:') ? '' : `; replay: ${rec.replay}`}`
  if (expectation?.action === 'fail') return done(expectedFailure(rec, expectation, pass, ctx.parts, message))
  return done({ status: pass ? 'pass' : 'fail', message })
}

// vitest is present only when the specs run under it; `nnspec list` imports spec files without it.
const vt = process.env['VITEST'] ? await import('vitest') : undefined

declare module 'vitest' {
  interface TaskMeta {
    nnspec?: ClaimRecord
  }
}

/** Add to the registry; an id is one claim (a runner worker finds a claim's spec file by its id). */
export function register(meta: ClaimMeta | InformationalMeta): void {
  if (registry.some((m) => m.id === meta.id)) throw new Error(`claim id "${meta.id}" is registered twice`)
  registry.push(meta)
}

export function claim(meta: ClaimMeta, body: ClaimBody): void {
  register(meta)
  bodies.set(meta.id, body)
  const s = settings()
  if (!vt || !s.claims.some((re) => re.test(meta.id))) return
  vt.describe(meta.id, () => {
    for (const engine of s.engines) {
      const placeholder: ClaimRecord = { ...newRecord(meta, engine, s.seed), message: `${meta.id} @ ${engine}: error: ${NO_RECORD}` }
      vt.test(`${meta.id} @ ${engine}`, { meta: { nnspec: placeholder } }, async (tctx) => {
        const rec = await runClaim(meta, body, engine, s.seed)
        tctx.task.meta.nnspec = rec
        if (rec.status === 'skip') return tctx.skip(rec.reason)
        if (rec.status === 'fail' || rec.status === 'error' || rec.status === 'stale') throw new Error(rec.message)
      })
    }
  })
}

/** History or opinion with nothing to execute: listed in the report as such. */
export function informational(meta: InformationalMeta): void {
  register(meta)
  const s = settings()
  if (!vt || !s.claims.some((re) => re.test(meta.id))) return
  vt.describe(meta.id, () => {
    for (const engine of s.engines) {
      vt.test(`${meta.id} @ ${engine}`, (tctx) => {
        tctx.task.meta.nnspec = infoRecord(meta, engine, s.seed)
      })
    }
  })
}
