// claim(meta, body): one catalog claim, run on every selected engine as one vitest test each.
// The body returns a verdict; a Mismatch thrown from an assertion refutes the claim with its message
// as evidence; Unsupported skips; anything else (or a hang) is an `error`.
import { isAbsolute, relative } from 'node:path'
import type { Compiled, Engine, FloatDType } from '../contract/types.ts'
import { Mismatch } from './assert.ts'
import { loadEngine } from './engines.ts'
import { batching } from './batching.ts'
import { expectationOf, expectationsFor, globToRegExp } from './expectations.ts'
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
  replay: string
  durationMs: number
  source: string
  quote: string
  reading: string
}

/** The engine cannot run this claim (no gradients, no optimizer, an op it lacks). */
export class Unsupported extends Error {
  override name = 'Unsupported'
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

/** Every claim and informational row seen, in registration order (for `nnspec list`). */
export const registry: (ClaimMeta | InformationalMeta)[] = []

export interface InformationalMeta {
  id: string
  source: string
  quote: string
  reading: string
}

const kinds = (k: ClaimKind | ClaimKind[]): ClaimKind[] => (Array.isArray(k) ? k : [k])
const replayOf = (engine: string, id: string, seed: number) =>
  `npx nnspec run --engine ${isAbsolute(engine) ? relative(process.cwd(), engine) : engine} --claims ${id} --seed ${seed}`

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)
  })
  return Promise.race([p, t]).finally(() => clearTimeout(timer))
}

/** Run one claim on one engine and classify the outcome. Independent of vitest. */
export async function runClaim(meta: ClaimMeta, body: ClaimBody, engineName: string, seed = settings().seed): Promise<ClaimRecord> {
  const started = performance.now()
  const rec: ClaimRecord = {
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
  }
  const done = (r: Partial<ClaimRecord>): ClaimRecord => Object.assign(rec, r, { durationMs: Math.round(performance.now() - started) })
  const expectation = expectationOf(expectationsFor(engineName), meta.id)
  if (expectation?.action === 'skip') return done({ status: 'skip', reason: `${expectation.reason} (${expectation.where})` })
  let engine: Engine
  try {
    engine = await loadEngine(engineName)
  } catch (e) {
    return done({ status: 'error', message: `${meta.id} @ ${engineName}: ${(e as Error).message}` })
  }
  for (const op of meta.ops) {
    const ok = engine.supports({ op, inputs: [], outputs: [] })
    if (ok !== true) return done({ status: 'skip', reason: `${op}: ${ok}` })
  }
  if (meta.needs?.includes('optimizer') && !engine.optimizer) return done({ status: 'skip', reason: 'engine has no optimizer' })
  const dtype = engine.dtypes.find((d): d is FloatDType => d === 'float32' || d === 'float64')
  if (!dtype) return done({ status: 'skip', reason: `engine computes in ${engine.dtypes.join(', ')}, no float type` })
  const ctx: ClaimContext = {
    engine: batching(engine),
    engineName,
    dtype,
    seed,
    rng: new Rng(seed).fork(meta.id),
    evidence: rec.evidence,
    replay: rec.replay,
    numRuns: settings().numRuns,
    reference: () => loadEngine('reference-f64'),
  }
  try {
    const out = await withTimeout(body(ctx), meta.timeoutMs ?? settings().timeoutMs)
    const o = typeof out === 'string' ? { verdict: out } : out
    rec.verdict = o.verdict
    if (o.counterexample !== undefined) rec.counterexample = typeof o.counterexample === 'string' ? o.counterexample : JSON.stringify(o.counterexample)
  } catch (e) {
    if (e instanceof Unsupported) return done({ status: 'skip', reason: e.message })
    if (!(e instanceof Mismatch)) {
      const where = (e as Error).stack?.split('\n').find((l) => l.includes('/specs/') || l.includes('/harness/'))?.trim()
      return done({ status: expectation ? 'xfail' : 'error', message: `${meta.id} @ ${engineName}: error: ${(e as Error).message}${where ? ` (${where})` : ''}${(e as Error).message.includes('replay:') ? '' : `; replay: ${rec.replay}`}` })
    }
    rec.verdict = 'refuted'
    rec.counterexample = e.message
  }
  const pass = rec.verdict === meta.expect
  const detail = rec.counterexample ? `: ${rec.counterexample}` : ''
  const message = pass ? undefined : `${meta.id} @ ${engineName}: expected ${meta.expect} but got ${rec.verdict}${detail}${detail.includes('replay:') ? '' : `; replay: ${rec.replay}`}`
  if (expectation?.action === 'fail') {
    return done(pass ? { status: 'stale', message: `${meta.id} @ ${engineName} now passes: remove its entry at ${expectation.where}` } : { status: 'xfail', reason: expectation.reason, message })
  }
  return done({ status: pass ? 'pass' : 'fail', message })
}

// vitest is present only when the specs run under it; `nnspec list` imports spec files without it.
const vt = process.env['VITEST'] ? await import('vitest') : undefined

declare module 'vitest' {
  interface TaskMeta {
    nnspec?: ClaimRecord
  }
}

export function claim(meta: ClaimMeta, body: ClaimBody): void {
  registry.push(meta)
  const s = settings()
  if (!vt || !s.claims.some((re) => re.test(meta.id))) return
  vt.describe(meta.id, () => {
    for (const engine of s.engines) {
      vt.test(`${meta.id} @ ${engine}`, async (tctx) => {
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
  registry.push(meta)
  const s = settings()
  if (!vt || !s.claims.some((re) => re.test(meta.id))) return
  vt.describe(meta.id, () => {
    for (const engine of s.engines) {
      vt.test(`${meta.id} @ ${engine}`, (tctx) => {
        tctx.task.meta.nnspec = {
          ...meta,
          engine,
          kind: ['informational'],
          expected: 'informational',
          status: 'info',
          evidence: {},
          seed: s.seed,
          replay: '',
          durationMs: 0,
        }
      })
    }
  })
}
