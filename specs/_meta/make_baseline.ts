// `npm run baseline`: ci/baseline/conformance.json from a full conformance report (default
// reports/conformance.json): the records' ids, engines, statuses, verdicts and durations, without the
// evidence, so the stored baseline stays small. CI gates on it and balances its shards with it.
import { readFileSync, writeFileSync } from 'node:fs'
import type { ConformanceReport } from '../../harness/report/model.ts'

const from = process.argv[2] ?? 'reports/conformance.json'
const r = JSON.parse(readFileSync(from, 'utf8')) as ConformanceReport
const slim: ConformanceReport = {
  ...r,
  records: r.records.map((x) => ({ id: x.id, engine: x.engine, kind: x.kind, expected: x.expected, ...(x.verdict ? { verdict: x.verdict } : {}), status: x.status, seed: x.seed, durationMs: x.durationMs, evidence: {}, replay: x.replay, source: x.source, quote: '', reading: '' })),
}
writeFileSync('ci/baseline/conformance.json', `${JSON.stringify(slim, null, 1)}\n`)
console.log(`ci/baseline/conformance.json: ${slim.records.length} records from ${from}`)
