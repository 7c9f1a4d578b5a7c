// `npm run soundness`: every broken engine × every executed claim (per-op variants × the claims that
// use their op), through `nnspec run --pairs`, then the matrix: claim → broken engines that flip it.
// Writes specs/_meta/soundness.json and the README's matrix (between its soundness markers);
// `npm run soundness -- --render` writes the README's matrix again from the saved soundness.json.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isClaim, registry, type ClaimMeta } from '../../harness/claim.ts'
import { loadSpecs, ROOT } from '../../harness/runner/selection.ts'
import { OPS } from '../../engine/ops/index.ts'
import { expectationOf, expectationsFor } from '../../harness/expectations.ts'
import { BROKEN, enginePath, perOp } from './soundness.ts'

await loadSpecs()
const claims = registry.filter(isClaim) as ClaimMeta[]
if (process.argv[2] === '--render') {
  render(JSON.parse(readFileSync(join(ROOT, 'specs/_meta/soundness.json'), 'utf8')) as Saved)
  process.exit(0)
}
const only = process.argv[2]?.split(',')
const pairs: { claim: string; engine: string }[] = []
// slow_large_batch is right in every value and only slow per example: on anything but the scale
// claims it can only time out (≈ 30 training claims × 60 s of errors), so it runs on those alone
const aimedAt: Record<string, (id: string) => boolean> = { slow_large_batch: (id) => id.startsWith('scale.') }
for (const name of Object.keys(BROKEN)) if (!only || only.includes(name)) for (const c of claims) if (aimedAt[name]?.(c.id) ?? true) pairs.push({ claim: c.id, engine: enginePath(name) })
if (!only) {
  for (const op of OPS.keys()) {
    const uses = claims.filter((c) => c.ops.includes(op) || c.id === `ops.${op}` || ['backprop.chain-rule', 'ops.differential', 'ops.conventions'].includes(c.id))
    for (const kind of ['forward', 'grad'] as const) for (const c of uses) pairs.push({ claim: c.id, engine: perOp(kind, op) })
  }
}
const dir = mkdtempSync(join(tmpdir(), 'nnspec-soundness-'))
writeFileSync(join(dir, 'pairs.json'), JSON.stringify(pairs))
console.log(`soundness: ${pairs.length} (claim, broken engine) pairs`)
try {
  execFileSync('node', [join(ROOT, 'bin/nnspec.js'), 'run', '--pairs', join(dir, 'pairs.json'), '--report', dir, '--quick', '--timeout', '60000'], { stdio: ['ignore', 'inherit', 'inherit'] })
} catch {
  // failures are the point: every broken engine fails something
}
const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as { records: { id: string; engine: string; status: string }[] }
const short = (e: string) => e.replace(/^.*specs\/_meta\/broken\//, '').replace(/\.ts$/, '')
const matrix: Record<string, string[]> = Object.fromEntries(claims.map((c) => [c.id, []]))
for (const r of report.records) if (r.status === 'fail') matrix[r.id]?.push(short(r.engine))
const errors = report.records.filter((r) => r.status === 'error').map((r) => `${r.id} @ ${short(r.engine)}`)
const revision = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()
const saved: Saved = { pairs: pairs.length, date: new Date().toISOString().slice(0, 10), revision, matrix, errors }
writeFileSync(join(ROOT, 'specs/_meta/soundness.json'), `${JSON.stringify(saved, null, 1)}\n`)
render(saved)

interface Saved {
  pairs: number
  date?: string
  revision?: string
  matrix: Record<string, string[]>
  errors: string[]
}

/**
 * The README's matrix: one row per claim (the ONNX node tests and the per-op checks folded into a row
 * each, with how many of them are flipped). A claim the correct reference is expected to fail (an
 * xfail line in ci/expectations/reference.txt) fails on every broken reference too: those failures
 * are not flips, and the row says so.
 */
function render(saved: Saved): void {
  const xfail = (id: string) => expectationOf(expectationsFor('reference'), id)?.action === 'fail'
  const flips = (id: string) => (xfail(id) ? [] : saved.matrix[id] ?? [])
  const ids = Object.keys(saved.matrix).filter((id) => claims.some((c) => c.id === id))
  const rows: string[] = []
  const fold = (prefix: RegExp, label: string) => {
    const group = ids.filter((id) => prefix.test(id))
    if (group.length === 0) return
    const flipped = group.filter((id) => flips(id).length > 0)
    const by = [...new Set(group.flatMap(flips))]
    const out = group.filter((id) => flips(id).length === 0).map((id) => `${id}${xfail(id) ? ' (an expected failure on the reference)' : ''}`)
    rows.push(`| ${label} (${group.length}) | ${flipped.length} of ${group.length} flipped, by ${by.length} broken engines (${by.slice(0, 6).join(', ')}${by.length > 6 ? ', …' : ''})${out.length ? `; not flipped: ${out.join(', ')}` : ''} |`)
  }
  for (const id of ids) {
    if (/^onnx\./.test(id) || /^ops\.[A-Z]/.test(id)) continue
    const es = flips(id)
    rows.push(`| \`${id}\` | ${xfail(id) ? 'an expected failure on the reference: not counted' : es.length === 0 ? '**none**' : `${es.length}: ${es.slice(0, 8).join(', ')}${es.length > 8 ? ', …' : ''}`} |`)
  }
  fold(/^ops\.[A-Z]/, '`ops.<Op>`')
  fold(/^onnx\./, '`onnx.<case>`')
  const none = ids.filter((id) => flips(id).length === 0)
  const table = [
    `${saved.pairs} (claim, broken engine) pairs${saved.date ? `, run ${saved.date}` : ''}${saved.revision ? ` on ${saved.revision}` : ''}: ${ids.length - none.length} of ${ids.length} executed claims are flipped by at least one broken engine; ${saved.errors.length} pairs ended in error (not counted as flips). Not flipped: the node tests the reference cannot run or whose output has no finite value to perturb, and the reference's own expected failures (\`specs/_meta/soundness.ts\` lists them with why).`,
    '',
    '| claim | broken engines under which its own verdict differs from the expected one |',
    '|---|---|',
    ...rows,
  ].join('\n')
  const readme = join(ROOT, 'README.md')
  const text = readFileSync(readme, 'utf8')
  const [begin, end] = ['<!-- soundness-matrix:begin -->', '<!-- soundness-matrix:end -->']
  if (text.includes(begin) && text.includes(end)) writeFileSync(readme, `${text.slice(0, text.indexOf(begin) + begin.length)}\n${table}\n${text.slice(text.indexOf(end))}`)
  console.log(`\n${ids.length - none.length} of ${ids.length} executed claims flipped by at least one broken engine; none for: ${none.join(', ') || '—'}`)
  console.log(`${saved.errors.length} pairs ended in error (not counted as flips)`)
}
