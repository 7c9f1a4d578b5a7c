// Sharding: 1/1, 2/2, 3/3 and 4/4 of a subset, merged, give the unsharded run's verdicts and evidence
// exactly; a missing shard, a shard given twice or shards of different seeds are clear errors.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'

const CLAIMS = 'activation.sigmoid-*,loss.mse-for-regression,optim.update-rules,capacity.perceptron-and-or-not,init.distributions,scale.large-batch-history'
const tmp = mkdtempSync(join(tmpdir(), 'nnspec-shards-'))
const cli = (args: string[]): Promise<{ code: number; out: string }> =>
  new Promise((resolve) => execFile('node', ['bin/nnspec.js', ...args], { timeout: 180_000 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}${stderr}` })))
const run = (dir: string, extra: string[] = []) => cli(['run', '--engine', 'reference,reference-f64', '--claims', CLAIMS, '--workers', '1', '--report', join(tmp, dir), ...extra])
const essence = (file: string) =>
  JSON.stringify((JSON.parse(readFileSync(file, 'utf8')) as { records: Record<string, unknown>[] }).records.map(({ id, engine, status, verdict, evidence, counterexample, seed }) => ({ id, engine, status, verdict, evidence, counterexample, seed })))

test('merged shards equal the unsharded run, verdict for verdict and evidence for evidence', async () => {
  const whole = await run('whole')
  expect(whole.code, whole.out).toBe(0)
  for (const n of [1, 2, 3, 4]) {
    const parts = await Promise.all(Array.from({ length: n }, (_, i) => run(`s${n}-${i + 1}`, ['--shard', `${i + 1}/${n}`])))
    for (const p of parts) expect(p.code, p.out).toBe(0)
    const merged = await cli(['report', '--merge', ...Array.from({ length: n }, (_, i) => join(tmp, `s${n}-${i + 1}`, 'conformance.json')), '--out', join(tmp, `m${n}`)])
    expect(merged.code, merged.out).toBe(0)
    expect(essence(join(tmp, `m${n}`, 'conformance.json'))).toBe(essence(join(tmp, 'whole', 'conformance.json')))
  }
}, 300_000)

test('merge errors: a missing shard, a shard given twice, shards of different seeds', async () => {
  const a = join(tmp, 's3-1', 'conformance.json')
  const b = join(tmp, 's3-2', 'conformance.json')
  expect((await cli(['report', '--merge', a, b])).out).toMatch(/nnspec: shards 3\/3 are missing/)
  expect((await cli(['report', '--merge', a, a, b])).out).toMatch(/nnspec: shard 1\/3 given twice/)
  await run('other-seed', ['--shard', '2/3', '--seed', '7'])
  const r = await cli(['report', '--merge', a, join(tmp, 'other-seed', 'conformance.json'), join(tmp, 's3-3', 'conformance.json')])
  expect(r.code).toBe(2)
  expect(r.out).toMatch(/has seed 7 but .* has seed \d+: shards of different runs/)
}, 120_000)
