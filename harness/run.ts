// `nnspec run`: the selected (claim, engine) pairs on a pool of worker processes behind a watchdog,
// one progress line per record, then the reports, written only once every pair has its record.
import { existsSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { infoRecord, isClaim, newRecord, timeoutOf, type ClaimMeta, type ClaimRecord } from './claim.ts'
import { recordLine } from './report/markdown.ts'
import { buildReport, isFailure, regressions, type ConformanceReport } from './report/model.ts'
import { writeReports } from './report/write.ts'
import { checkExpectations, checkReportDir, readBaseline, readPairs, resolveEngines, UsageError } from './run_inputs.ts'
import { Pool, type Job } from './runner/pool.ts'
import { loadSpecs, pairKey, select, selectPairs } from './runner/selection.ts'
import { parseShard, shardOf, staticCost } from './runner/shard.ts'

export interface RunOpts {
  engine?: string
  report: string
  claims: string
  seed: number
  path?: string
  quick?: boolean
  baseline?: string
  timeout?: number
  workers?: number
  expectations?: string
  pairs?: string
  shard?: string
  durations?: string
}

const shown = (e: string) => (e.startsWith('/') ? relative(process.cwd(), e) : e)

/** Durations of a previous report (the same directory's, by default): the longest claims start first. */
function previousDurations(file: string): Map<string, number> {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport
    return new Map(r.records.map((x) => [pairKey(x.id, x.engine), x.durationMs]))
  } catch {
    return new Map()
  }
}

export async function run(o: RunOpts): Promise<number> {
  if (!o.engine && !o.pairs) throw new UsageError('say which engine to run: --engine <name|path|all> (or --pairs <json>)')
  const wanted = o.pairs ? readPairs(o.pairs) : undefined
  const engines = await resolveEngines(wanted ? [...new Set(wanted.map((p) => p.engine))].join(',') : o.engine!)
  if (o.expectations) {
    if (!existsSync(o.expectations)) throw new UsageError(`expectations ${o.expectations} not found`)
    process.env['NNSPEC_EXPECTATIONS'] = resolve(o.expectations)
  }
  checkExpectations(engines)
  const baseline = o.baseline ? readBaseline(o.baseline) : undefined
  const reportDir = resolve(o.report)
  checkReportDir(reportDir)
  Object.assign(process.env, {
    NNSPEC_ENGINES: engines.join(','),
    NNSPEC_CLAIMS: o.claims,
    NNSPEC_SEED: String(o.seed),
    NNSPEC_REPORT_DIR: reportDir,
    ...(o.path ? { NNSPEC_PATH: o.path } : {}),
    ...(o.quick ? { NNSPEC_RUNS: '20' } : {}),
    ...(o.timeout ? { NNSPEC_TIMEOUT: String(o.timeout) } : {}),
  })
  await loadSpecs()
  let pairs: ReturnType<typeof select>
  try {
    pairs = wanted ? selectPairs(wanted, engines) : select(o.claims, engines)
  } catch (e) {
    throw new UsageError((e as Error).message)
  }
  if (pairs.length === 0) throw new UsageError(`no claim matches "${o.claims}"; \`nnspec list\` prints every id`)
  const jsonPath = join(reportDir, 'conformance.json')
  if (o.durations && !existsSync(o.durations)) throw new UsageError(`durations ${o.durations} not found`)
  const durations = previousDurations(o.durations ?? jsonPath)
  const shard = o.shard ? parseShardArg(o.shard) : undefined
  const cost = (id: string, engine: string) => durations.get(pairKey(id, engine)) ?? staticCost(id)
  // informational rows cost nothing: the first shard carries them
  const records: ClaimRecord[] = !shard || shard.index === 1 ? pairs.filter((p) => !isClaim(p.meta)).map((p) => infoRecord(p.meta, p.engine, o.seed)) : []
  const allJobs: Job[] = pairs
    .filter((p): p is { meta: ClaimMeta; engine: string } => isClaim(p.meta))
    .map(({ meta, engine }) => ({ key: pairKey(meta.id, engine), meta, engine, seed: o.seed, timeoutMs: timeoutOf(meta), cost: cost(meta.id, engine) }))
  const jobs = shard ? shardOf(allJobs, shard) : allJobs
  const workers = o.workers ?? Math.max(1, Math.min(2, availableParallelism(), jobs.length))
  console.log(`nnspec: ${engines.map(shown).join(', ')} · ${jobs.length} claims to run (${o.pairs ? `pairs from ${o.pairs}` : o.claims})${shard ? ` · shard ${o.shard} of ${allJobs.length}` : ''} · seed ${o.seed} · ${workers} workers`)
  const started = performance.now()

  let done = 0
  const pool = new Pool({
    workers,
    onRecord: (rec) => {
      done++
      const why = rec.status === 'skip' ? ` (${rec.reason})` : ''
      console.log(`[${String(done).padStart(String(jobs.length).length)}/${jobs.length}] ${recordLine({ ...rec, engine: shown(rec.engine) })}${why} ${rec.durationMs} ms`)
    },
  })
  const interrupted = new Promise<'interrupted'>((resolveInt) => {
    const stop = () => resolveInt('interrupted')
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  const outcome = await Promise.race([pool.run(jobs), interrupted])
  if (outcome === 'interrupted') {
    await pool.stop()
    console.error(`\nnspec: interrupted after ${done} of ${jobs.length} claims; ${existsSync(jsonPath) ? `the previous report in ${shown(reportDir)} was left as it was` : 'no report was written'}`)
    return 130
  }
  records.push(...outcome)
  const mine = new Set(jobs.map((j) => j.key))
  const selected = pairs.filter((p) => (isClaim(p.meta) ? mine.has(pairKey(p.meta.id, p.engine)) : !shard || shard.index === 1))
  const report = buildReport(records, o.seed, selected.map((p) => (isClaim(p.meta) ? newRecord(p.meta, p.engine, o.seed) : infoRecord(p.meta, p.engine, o.seed))), {
    durationMs: Math.round(performance.now() - started),
    ...(shard ? { shard: o.shard!, selection: pairs.map((p) => pairKey(p.meta.id, p.engine)) } : {}),
  })
  const files = await writeReports(report, reportDir, baseline ? { baseline } : {})
  const failures = report.records.filter((r) => isFailure(r.status))
  for (const f of failures) console.log(`\n${recordLine(f)}\n  ${f.message}`)
  console.log('')
  for (const e of report.engines) {
    const t = report.totals[e] ?? {}
    console.log(`${shown(e)}: ${t.pass ?? 0} pass, ${t.fail ?? 0} fail, ${t.error ?? 0} error, ${t.skip ?? 0} skip, ${t.xfail ?? 0} xfail, ${t.stale ?? 0} stale`)
  }
  console.log(`reports: ${files.map((f) => relative(process.cwd(), f)).join(', ')}`)
  let code = failures.length > 0 ? 1 : 0
  if (baseline) {
    const reg = regressions(baseline, report)
    console.log(reg.length === 0 ? `no regressions against ${o.baseline}` : `${reg.length} regressions against ${o.baseline}:`)
    for (const r of reg) console.log(`  ${recordLine(r)}`)
    if (reg.length > 0) code = 1
  }
  return code
}

function parseShardArg(arg: string) {
  try {
    return parseShard(arg)
  } catch (e) {
    throw new UsageError((e as Error).message)
  }
}
