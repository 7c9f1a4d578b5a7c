// The same seed gives the same verdicts and evidence, byte for byte: two runs of a subset (a
// statistical claim with batched trials, properties, optimizers, differential testing), scheduled
// differently (one worker, then two), compared record by record.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'

const CLAIMS = 'capacity.perceptron-and-or-not,activation.sigmoid-saturates,optim.update-rules,ops.differential,cnn.pooling-local-invariance,init.distributions'

function runOnce(workers: number): Promise<unknown[]> {
  const dir = mkdtempSync(join(tmpdir(), 'nnspec-determinism-'))
  return new Promise((resolve, reject) => {
    execFile('node', ['bin/nnspec.js', 'run', '--engine', 'reference,reference-f64', '--claims', CLAIMS, '--workers', String(workers), '--report', dir], { timeout: 120_000 }, (err) => {
      if (err && err.code !== 1) return reject(err)
      const { records } = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as { records: Record<string, unknown>[] }
      resolve(records.map(({ id, engine, status, verdict, evidence, counterexample, message, seed }) => ({ id, engine, status, verdict, evidence, counterexample, message, seed })))
    })
  })
}

test('two runs with the same seed: byte-identical verdicts and evidence', async () => {
  const [a, b] = await Promise.all([runOnce(1), runOnce(2)])
  expect(a.length).toBe(12)
  expect(JSON.stringify(b)).toBe(JSON.stringify(a))
}, 180_000)
