// Isolation from the engine under test: adapters that spin, exit, crash, break the contract or mutate
// their inputs, all in one `nnspec run`. Each must cost only the claims it touches (an `error` naming
// what happened), the other claims still pass, the report is written, the run ends in bounded time,
// and no worker process is left behind.
import { spawn } from 'node:child_process'
import { nnspec as cli } from './cli.ts'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'

const M = 'specs/_meta/misbehaving'
const CLAIMS = ['activation.softmax-distribution', 'activation.elu-shape', 'activation.sigmoid-saturates', 'activation.relu-positive-homogeneous']
// adapter → the claim it breaks (undefined: every claim) and what its error must say
const CASES: [string, string | undefined, RegExp][] = [
  ['spins_in_run', 'activation.softmax-distribution', /engine did not respond within 2 s while running activation\.softmax-distribution \(last call: run on graph of 1 nodes \(Softmax\)/],
  ['blocks_in_compile', 'activation.elu-shape', /engine did not respond within 2 s while running activation\.elu-shape \(last call: compile on graph .*Elu/],
  ['blocks_in_value_and_grad', 'activation.sigmoid-saturates', /engine did not respond within 2 s while running activation\.sigmoid-saturates \(last call: valueAndGrad on graph .*Sigmoid/],
  ['exits', 'activation.elu-shape', /engine worker exited with code 3 while running activation\.elu-shape \(last call: run on graph/],
  ['uncaught_exception', 'activation.softmax-distribution', /engine worker exited with code 70 .*: uncaught exception: adapter bug in a callback/],
  ['malformed_outputs', 'activation.softmax-distribution', /broke the engine contract in run\(\): "Softmax:0" has \d+ elements but its shape \[\d+,\d+\] needs \d+/],
  ['mutates_feeds', 'activation.sigmoid-saturates', /broke the engine contract in valueAndGrad\(\): the engine modified its input "x"/],
  ['supports_throws', 'activation.elu-shape', /broke the engine contract in supports\(\): it threw on a Elu node with no attributes: .*kernel_shape/],
  ['hangs_async', 'activation.softmax-distribution', /engine did not respond within 2 s while running activation\.softmax-distribution \(last call: run on graph of 1 nodes \(Softmax\)/],
  ['throws_in_compile', 'activation.elu-shape', /activation\.elu-shape @ \S+: error: adapter exploded while compiling/],
  ['throws_at_import', undefined, /failed to load: adapter failed to initialise its backend/],
  ['exits_at_import', undefined, /engine worker exited with code 4|not run: the engine module killed its worker twice while loading/],
]

interface Rec {
  id: string
  engine: string
  status: string
  message?: string
}

/** Worker processes started by the CLI process `pid` that are still alive. */
function workersOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/environ`, 'utf8').split('\0').includes(`NNSPEC_WORKER=${pid}`)
      } catch {
        return false
      }
    })
    .map(Number)
}

test('misbehaving adapters cost only their own claims, the run ends, the report is written, no worker is left', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnspec-isolation-'))
  const started = Date.now()
  const { code, out, pid } = await cli(['run', '--report', dir, '--timeout', '2000', '--engine', CASES.map(([f]) => `${M}/${f}.ts`).join(','), '--claims', CLAIMS.join(',')], 300_000)
  const seconds = (Date.now() - started) / 1000
  expect(code, out).toBe(1)
  // the bound of the issue: claims × timeout, plus a fixed overhead for worker start-ups
  expect(seconds).toBeLessThan(CASES.length * CLAIMS.length * 2 + 60)
  const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as { records: Rec[] }
  expect(report.records).toHaveLength(CASES.length * CLAIMS.length) // exactly one record per pair
  for (const [file, broken, says] of CASES) {
    for (const id of CLAIMS) {
      const rec = report.records.find((r) => r.engine.endsWith(`/${file}.ts`) && r.id === id)
      if (broken === undefined || broken === id) {
        expect(rec?.status, `${file} on ${id}`).toBe('error')
        expect(rec?.message, `${file} on ${id}`).toMatch(says)
        expect(rec?.message).toMatch(new RegExp(`replay: npx nnspec run --engine ${M}/${file}\\.ts --claims ${id.replace(/\./g, '\\.')}`))
      } else {
        expect(rec?.status, `${file} on ${id}: ${rec?.message}`).toBe('pass')
      }
    }
  }
  expect(workersOf(pid)).toEqual([])
}, 300_000)

/** Start `nnspec run` on an adapter that spins, and wait until a worker is in the spin. */
async function spinning(dir: string) {
  const child = spawn('node', ['bin/nnspec.js', 'run', '--report', dir, '--engine', `${M}/spins_in_run.ts`, '--claims', 'activation.softmax-distribution', '--timeout', '60000'])
  let out = ''
  child.stdout.on('data', (b: Buffer) => (out += b.toString()))
  child.stderr.on('data', (b: Buffer) => (out += b.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  for (let i = 0; i < 100 && workersOf(child.pid!).length === 0; i++) await new Promise((r) => setTimeout(r, 100))
  await new Promise((r) => setTimeout(r, 2000)) // the worker has loaded the specs and entered the loop
  return { child, exited, output: () => out }
}

test('Ctrl-C: the previous report stays as it was, the run says it was interrupted, exit 130, no worker left', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnspec-interrupt-'))
  writeFileSync(join(dir, 'conformance.json'), '{"previous": true}')
  const run = await spinning(dir)
  expect(workersOf(run.child.pid!).length).toBeGreaterThan(0)
  run.child.kill('SIGINT')
  expect(await run.exited).toBe(130)
  expect(run.output()).toMatch(/interrupted after 0 of 1 claims; the previous report in .* was left as it was/)
  expect(readFileSync(join(dir, 'conformance.json'), 'utf8')).toBe('{"previous": true}')
  expect(workersOf(run.child.pid!)).toEqual([])
}, 60_000)

test('a CLI killed outright (SIGKILL) leaves no worker spinning behind', async () => {
  const run = await spinning(mkdtempSync(join(tmpdir(), 'nnspec-killed-')))
  const workers = workersOf(run.child.pid!)
  expect(workers.length).toBeGreaterThan(0)
  run.child.kill('SIGKILL')
  await run.exited
  for (let i = 0; i < 30 && workersOf(run.child.pid!).length > 0; i++) await new Promise((r) => setTimeout(r, 100))
  expect(workersOf(run.child.pid!)).toEqual([])
}, 60_000)

test("one engine per worker process: an engine's global side effects never reach another engine's claims", async () => {
  // one worker, so both engines' claims go through the same slot; without a fresh process per engine
  // needs_clean_globals would run its second claim where sets_globals has defined a global Worker
  const dir = mkdtempSync(join(tmpdir(), 'nnspec-globals-'))
  const engines = [`${M}/needs_clean_globals.ts`, `${M}/sets_globals.ts`]
  const run = await cli(['run', '--workers', '1', '--report', dir, '--engine', engines.join(','), '--claims', CLAIMS.slice(0, 3).join(',')], 120_000)
  expect(run.code, run.out).toBe(0)
  const recs = (JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as { records: Rec[] }).records
  expect(recs.filter((r) => r.status === 'pass').length, run.out).toBe(6)
}, 120_000)
