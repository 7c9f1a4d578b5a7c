// `npm run false-alarms`: every claim on reference and reference-f64 under 20 seeds other than the
// default; a correct engine must get its expected verdict on every one. Counts the records whose
// status is not pass/skip/info/xfail (a verdict that changed with the seed, or an error; an expected
// failure listed in ci/expectations is expected, and a stale one is counted), and writes
// specs/_meta/false_alarms.json; the README gives the figure.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../../harness/runner/selection.ts'

const seeds = Array.from({ length: Number(process.argv[2] ?? 20) }, (_, i) => i + 1)
const changes: { seed: number; id: string; engine: string; status: string; verdict?: string; message?: string }[] = []
let records = 0
for (const seed of seeds) {
  const dir = mkdtempSync(join(tmpdir(), `nnspec-seed-${seed}-`))
  try {
    execFileSync('node', [join(ROOT, 'bin/nnspec.js'), 'run', '--engine', 'reference,reference-f64', '--seed', String(seed), '--report', dir], { stdio: 'ignore' })
  } catch {
    // a non-zero exit is what this script counts
  }
  const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as { records: { id: string; engine: string; status: string; verdict?: string; message?: string }[] }
  records += report.records.length
  const bad = report.records.filter((r) => !['pass', 'skip', 'info', 'xfail'].includes(r.status))
  changes.push(...bad.map((r) => ({ seed, id: r.id, engine: r.engine, status: r.status, ...(r.verdict ? { verdict: r.verdict } : {}), ...(r.message ? { message: r.message.slice(0, 300) } : {}) })))
  console.log(`seed ${seed}: ${bad.length} of ${report.records.length} records differ from the expected verdict${bad.length ? `: ${bad.map((r) => `${r.id} @ ${r.engine}`).join(', ')}` : ''}`)
}
writeFileSync(join(ROOT, 'specs/_meta/false_alarms.json'), `${JSON.stringify({ seeds, records, changes }, null, 1)}\n`)
console.log(`\n${seeds.length} seeds × reference, reference-f64: ${changes.length} of ${records} records differ from the expected verdict`)
