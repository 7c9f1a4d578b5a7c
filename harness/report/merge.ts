// `nnspec report --merge`: one conformance report from the shards of one run (or of several runs
// that select different pairs, e.g. one per engine in a CI matrix). The shards of each run must be
// 1/n … n/n of the same selection; all must share the seed and versions; every selected pair must have
// exactly one record across them. Anything else is an error naming the files.
import { buildReport, type ConformanceReport } from './model.ts'

export class MergeError extends Error {}

type Shard = { file: string; report: ConformanceReport }
const fail = (m: string): never => {
  throw new MergeError(m)
}

export function mergeShards(shards: Shard[]): ConformanceReport {
  if (shards.length === 0) fail('no shard reports given')
  const unsharded = shards.find((s) => !s.report.shard || !s.report.selection)
  if (unsharded) fail(`${unsharded.file} is not a shard report (written by nnspec run --shard i/n)`)
  const runs = new Map<string, Shard[]>()
  for (const s of shards) {
    const key = s.report.selection!.join('\n')
    runs.set(key, [...(runs.get(key) ?? []), s])
  }
  const parts = [...runs.values()].map(mergeRun)
  const first = parts[0]!
  for (const p of parts) if (p.seed !== first.seed || p.nnspec !== first.nnspec) fail(`runs of different seeds or nnspec versions: ${p.seed}/${p.nnspec} and ${first.seed}/${first.nnspec}`)
  const owner = new Set<string>()
  for (const p of parts) for (const r of p.records) {
    const key = `${r.id}@${r.engine}`
    if (owner.has(key)) fail(`${r.id} @ ${r.engine} is selected by two of the merged runs`)
    owner.add(key)
  }
  return buildReport(parts.flatMap((p) => p.records), first.seed, undefined, {
    selection: parts.flatMap((p) => p.selection!),
    engineVersions: Object.assign({}, ...parts.map((p) => p.engineVersions ?? {})),
    durationMs: Math.max(...parts.map((p) => p.durationMs ?? 0)),
  })
}

/** The shards of one run (one selection) as one report. */
function mergeRun(shards: Shard[]): ConformanceReport {
  const first = shards[0]!
  const count = Number(first.report.shard!.split('/')[1])
  for (const s of shards) {
    for (const key of ['seed', 'nnspec', 'schemaVersion'] as const) {
      if (s.report[key] !== first.report[key]) fail(`${s.file} has ${key} ${s.report[key]} but ${first.file} has ${key} ${first.report[key]}: shards of different runs`)
    }
    if (Number(s.report.shard!.split('/')[1]) !== count) fail(`${s.file} is shard ${s.report.shard} but ${first.file} is ${first.report.shard}`)
    for (const [e, v] of Object.entries(s.report.engineVersions ?? {})) {
      const other = first.report.engineVersions?.[e]
      if (other !== undefined && other !== v) fail(`${e} is version ${v} in ${s.file} but ${other} in ${first.file}`)
    }
  }
  const seen = new Map<string, string>()
  for (const s of shards) {
    const i = s.report.shard!.split('/')[0]!
    if (seen.has(i)) fail(`shard ${s.report.shard} given twice: ${seen.get(i)} and ${s.file}`)
    seen.set(i, s.file)
  }
  const missingShards = Array.from({ length: count }, (_, k) => String(k + 1)).filter((i) => !seen.has(i))
  if (missingShards.length > 0) fail(`shards ${missingShards.map((i) => `${i}/${count}`).join(', ')} are missing (of the run ${first.file} belongs to)`)
  const owner = new Map<string, string>()
  for (const s of shards) {
    for (const r of s.report.records) {
      const key = `${r.id}@${r.engine}`
      if (owner.has(key)) fail(`${r.id} @ ${r.engine} has a record in both ${owner.get(key)} and ${s.file}`)
      owner.set(key, s.file)
    }
  }
  const missing = first.report.selection!.filter((k) => !owner.has(k))
  if (missing.length > 0) fail(`${missing.length} selected pairs have no record in any shard, e.g. ${missing.slice(0, 3).join(', ')}`)
  const records = shards.flatMap((s) => s.report.records)
  return buildReport(records, first.report.seed, undefined, {
    selection: first.report.selection!,
    engineVersions: Object.assign({}, ...shards.map((s) => s.report.engineVersions ?? {})),
    durationMs: Math.max(...shards.map((s) => s.report.durationMs ?? 0)),
  })
}
