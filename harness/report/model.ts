// reports/conformance.json: the source of truth. Markdown and JUnit are rendered from it.
import { readFileSync } from 'node:fs'
import type { ClaimRecord, Status } from '../claim.ts'

export const SCHEMA_VERSION = 2

/** nnspec's own version (package.json), kept in every report: shards of one run must agree on it. */
export const NNSPEC_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version

export interface ConformanceReport {
  schemaVersion: number
  nnspec: string
  generatedAt: string
  seed: number
  node: string
  engines: string[]
  /** each engine's version as it reported it */
  engineVersions?: Record<string, string>
  /** the run's wall time */
  durationMs?: number
  /** `i/n` when this report is one shard of a run; `selection` then lists every pair of the whole run */
  shard?: string
  selection?: string[]
  totals: Record<string, Partial<Record<Status, number>>>
  records: ClaimRecord[]
}

/**
 * Exactly one record per selected (claim, engine) pair: a selected pair without a record becomes an
 * `error` (its placeholder, with the message), a duplicate is dropped with an error, a record
 * nobody selected is kept. The totals are then counted over the selection itself.
 */
export function completeRecords(records: ClaimRecord[], selected: ClaimRecord[], why = 'the claim ended without a record'): ClaimRecord[] {
  const key = (r: ClaimRecord) => `${r.id}@${r.engine}`
  const byKey = new Map<string, ClaimRecord>()
  for (const r of records) {
    const k = key(r)
    const seen = byKey.get(k)
    if (!seen) byKey.set(k, r)
    else byKey.set(k, { ...seen, status: 'error', message: `${r.id} @ ${r.engine}: error: two records for one claim (${seen.status} and ${r.status}); a runner bug` })
  }
  for (const p of selected) {
    if (!byKey.has(key(p))) byKey.set(key(p), { ...p, status: 'error', message: `${p.id} @ ${p.engine}: error: ${why}; replay: ${p.replay}` })
  }
  return [...byKey.values()]
}

export function buildReport(records: ClaimRecord[], seed: number, selected?: ClaimRecord[], extra: Partial<ConformanceReport> = {}): ConformanceReport {
  const sorted = [...(selected ? completeRecords(records, selected) : records)].sort((a, b) => a.id.localeCompare(b.id) || a.engine.localeCompare(b.engine))
  const engines = [...new Set(sorted.map((r) => r.engine))]
  const totals: ConformanceReport['totals'] = {}
  for (const r of sorted) {
    const t = (totals[r.engine] ??= {})
    t[r.status] = (t[r.status] ?? 0) + 1
  }
  const engineVersions = Object.fromEntries(sorted.filter((r) => r.engineVersion).map((r) => [r.engine, r.engineVersion!]))
  return { schemaVersion: SCHEMA_VERSION, nnspec: NNSPEC_VERSION, generatedAt: new Date().toISOString(), seed, node: process.version, engines, ...(Object.keys(engineVersions).length ? { engineVersions } : {}), ...extra, totals, records: sorted }
}

/** Statuses that make a run fail: a verdict that differs from the expected one, an error, a stale expectation. */
export const isFailure = (s: Status): boolean => s === 'fail' || s === 'error' || s === 'stale'

/** Claims that passed (or were skipped) in the baseline and fail now. */
export function regressions(baseline: ConformanceReport, current: ConformanceReport): ClaimRecord[] {
  const before = new Map(baseline.records.map((r) => [`${r.id}@${r.engine}`, r.status]))
  return current.records.filter((r) => isFailure(r.status) && !isFailure(before.get(`${r.id}@${r.engine}`) ?? 'pass'))
}

/** The ops whose forward check (ops.<Op>) ran on the engine, of those in the run: "7 of 44" (or "–"). */
export function opCoverage(r: ConformanceReport, engine: string): string {
  const ops = r.records.filter((x) => x.engine === engine && /^ops\.[A-Z]/.test(x.id))
  return ops.length === 0 ? '–' : `${ops.filter((x) => x.status !== 'skip').length} of ${ops.length}`
}

export interface TimeRow {
  id: string
  byEngine: Record<string, number>
  totalMs: number
}

/**
 * Where the time goes: the costliest claims in milliseconds of worker time per engine (the per-op
 * and node-test families folded into one row each), each engine's total, and the grand total.
 */
export function timeTable(r: ConformanceReport, top = 12): { rows: TimeRow[]; count: number; perEngine: Record<string, number>; totalMs: number } {
  const family = (id: string) => (id.startsWith('onnx.') ? 'onnx.* (node tests)' : /^ops\.[A-Z]/.test(id) ? 'ops.<Op> (per-op agreement)' : id)
  const rows = new Map<string, TimeRow>()
  const perEngine: Record<string, number> = {}
  for (const x of r.records) {
    const id = family(x.id)
    const row = rows.get(id) ?? { id, byEngine: {}, totalMs: 0 }
    const ms = x.durationMs ?? 0
    row.byEngine[x.engine] = (row.byEngine[x.engine] ?? 0) + ms
    row.totalMs += ms
    perEngine[x.engine] = (perEngine[x.engine] ?? 0) + ms
    rows.set(id, row)
  }
  const sorted = [...rows.values()].sort((a, b) => b.totalMs - a.totalMs)
  return { rows: sorted.slice(0, top), count: sorted.length, perEngine, totalMs: sorted.reduce((a, x) => a + x.totalMs, 0) }
}
