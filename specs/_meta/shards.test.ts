// Sharding and determinism: a subset (a statistical claim with batched trials, properties, optimizers,
// differential testing, initializers) run whole on two workers and in 2 shards of one worker each —
// other processes, another order — merged, gives the same verdicts and evidence byte for byte; the
// split of 1/1 … 4/4 covers every pair once and merges back to the whole; a missing shard, a shard
// given twice or shards of different seeds are clear errors.
import { nnspec } from './cli.ts'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import type { ConformanceReport } from '../../harness/report/model.ts'

const CLAIMS = 'activation.sigmoid-*,loss.mse-for-regression,optim.update-rules,capacity.perceptron-and-or-not,init.distributions,scale.large-batch-history,ops.differential,cnn.pooling-local-invariance'
const tmp = mkdtempSync(join(tmpdir(), 'nnspec-shards-'))
const cli = (args: string[]) => nnspec(args, 180_000)
const run = (dir: string, extra: string[] = []) => cli(['run', '--engine', 'reference,reference-f64', '--claims', CLAIMS, '--workers', '1', '--report', join(tmp, dir), ...extra])
const essence = (file: string) =>
  JSON.stringify((JSON.parse(readFileSync(file, 'utf8')) as { records: Record<string, unknown>[] }).records.map(({ id, engine, status, verdict, evidence, counterexample, message, seed }) => ({ id, engine, status, verdict, evidence, counterexample, message, seed })))

test('merged shards equal the unsharded run, verdict for verdict and evidence for evidence', async () => {
  const whole = await run('whole', ['--workers', '2'])
  expect(whole.code, whole.out).toBe(0)
  // executed for real in 2 shards, one worker each: the seed derivation is per claim, so neither the
  // process nor the order a claim runs in may change a byte of its record
  const parts = await Promise.all([1, 2].map((i) => run(`s2-${i}`, ['--shard', `${i}/2`])))
  for (const p of parts) expect(p.code, p.out).toBe(0)
  const merged = await cli(['report', '--merge', join(tmp, 's2-1', 'conformance.json'), join(tmp, 's2-2', 'conformance.json'), '--out', join(tmp, 'm2')])
  expect(merged.code, merged.out).toBe(0)
  expect(essence(join(tmp, 'm2', 'conformance.json'))).toBe(essence(join(tmp, 'whole', 'conformance.json')))
}, 300_000)

test('1/1 … 4/4: every pair in exactly one shard, and the merge of the parts is the whole', async () => {
  const { shardOf } = await import('../../harness/runner/shard.ts')
  const { mergeShards } = await import('../../harness/report/merge.ts')
  const whole = JSON.parse(readFileSync(join(tmp, 'whole', 'conformance.json'), 'utf8')) as ConformanceReport
  const items = whole.records.map((r) => ({ key: `${r.id}@${r.engine}`, cost: r.durationMs, r }))
  for (const n of [1, 2, 3, 4]) {
    const shards = Array.from({ length: n }, (_, i) => shardOf(items, { index: i + 1, count: n }))
    expect(shards.flat().map((x) => x.key).sort()).toEqual(items.map((x) => x.key).sort())
    const reports = shards.map((part, i) => ({ file: `shard ${i + 1}`, report: { ...whole, shard: `${i + 1}/${n}`, selection: items.map((x) => x.key), records: part.map((x) => x.r) } }))
    const merged = mergeShards(reports)
    expect(JSON.stringify(merged.records)).toBe(JSON.stringify(whole.records))
    expect(merged.totals).toEqual(whole.totals)
  }
})

test('merge errors: a missing shard, a shard given twice, shards of different seeds', async () => {
  const a = join(tmp, 's2-1', 'conformance.json')
  const b = join(tmp, 's2-2', 'conformance.json')
  expect((await cli(['report', '--merge', a])).out).toMatch(/nnspec: shards 2\/2 are missing/)
  expect((await cli(['report', '--merge', a, a, b])).out).toMatch(/nnspec: shard 1\/2 given twice/)
  // the second shard as a run with another seed would have written it
  const other = join(tmp, 'other-seed.json')
  writeFileSync(other, JSON.stringify({ ...(JSON.parse(readFileSync(b, 'utf8')) as object), seed: 7 }))
  const r = await cli(['report', '--merge', a, other])
  expect(r.code).toBe(2)
  expect(r.out).toMatch(/has seed 7 but .* has seed \d+: shards of different runs/)
}, 120_000)
