// The tests of the tests: every deliberately broken engine here must make `nnspec run` exit
// non-zero with a message that names what is broken. Each run is restricted to the claims that
// should catch it, and runs as a real CLI process, as a user would run it.
import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'

interface Run {
  code: number
  out: string
}

function nnspec(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('node', ['bin/nnspec.js', 'run', '--report', mkdtempSync(join(tmpdir(), 'nnspec-meta-')), ...args], { timeout: 90_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0
      resolve({ code, out: `${stdout}\n${stderr}` })
    })
  })
}

const BROKEN: [file: string, claims: string, names: RegExp][] = [
  ['sigmoid_grad_is_sigma', 'backprop.chain-rule', /Sigmoid grad x.* but reference-f64 analytic gradient gives/],
  ['gemm_ignores_transB', 'backprop.chain-rule', /Error in node "Gemm" \(Gemm\)|Gemm grad/],
  ['softmax_without_max', 'activation.softmax-distribution', /softmax row \d+ has a negative or non-finite entry: NaN/],
  ['mse_grad_missing_two', 'loss.mse-for-regression', /MSE grad ŷ.* but 2\(ŷ − y\)\/n gives/],
  ['tanh_grad_one_minus_y', 'activation.tanh-zero-centered', /Tanh'/],
  ['reducemean_grad_undivided', 'backprop.chain-rule', /ReduceMean grad x/],
  ['relu_grad_leaks', 'activation.relu-gradient', /Relu'\(-[\d.e-]+\) = 1, expected exactly 0/],
  ['leakyrelu_ignores_alpha', 'ops.differential', /first diverging node: node "n\d+_LeakyRelu" \(LeakyRelu\) output/],
]

describe('broken engines are caught, naming the op', () => {
  test.concurrent.each(BROKEN)('%s', async (file, claims, names) => {
    const r = await nnspec(['--engine', `specs/_meta/${file}.ts`, '--claims', claims])
    expect(r.code, r.out).toBe(1)
    expect(r.out).toMatch(names)
    expect(r.out).toMatch(new RegExp(`replay: npx nnspec run --engine specs/_meta/${file}.ts --claims \\S+ --seed \\d+`))
  })
})

describe('misbehaving adapters end as errors and the run goes on', () => {
  test.concurrent('an adapter that throws', async () => {
    const r = await nnspec(['--engine', 'specs/_meta/throws_on_compile.ts', '--claims', 'activation.sigmoid-symmetry,loss.mean-over-examples'])
    expect(r.code, r.out).toBe(1)
    expect(r.out).toMatch(/activation\.sigmoid-symmetry @ .*error: adapter exploded while compiling/)
    expect(r.out).toMatch(/0 pass, 0 fail, 2 error/)
  })
  test.concurrent('an adapter that hangs is timed out', async () => {
    const r = await nnspec(['--engine', 'specs/_meta/hangs_on_run.ts', '--claims', 'activation.sigmoid-symmetry,activation.relu-positive-homogeneous', '--timeout', '1500'])
    expect(r.code, r.out).toBe(1)
    expect(r.out).toMatch(/error: timed out after 1500 ms/)
    expect(r.out).toMatch(/2 error/)
  })
  test.concurrent('an engine module that does not exist is a usage error naming the file', async () => {
    const r = await nnspec(['--engine', 'specs/_meta/no_such_engine.ts'])
    expect(r.code).toBe(2)
    expect(r.out).toMatch(/engine module specs\/_meta\/no_such_engine\.ts not found/)
  })
})

test('the reference engine passes the same claims (the broken ones fail for their bug, not the claim)', async () => {
  const r = await nnspec(['--engine', 'reference', '--claims', [...new Set(BROKEN.map((b) => b[1]))].join(',')])
  expect(r.code, r.out).toBe(0)
})

test('differential testing names the one diverging node of a 10-node graph', async () => {
  const { buildGraph } = await import('../../harness/arbitraries/graph.ts')
  const { firstDivergence } = await import('../../harness/differential.ts')
  const { loadEngine } = await import('../../harness/engines.ts')
  const broken = (await import('./leakyrelu_ignores_alpha.ts')).default
  // kinds by index: 0 Tanh, 8 LeakyRelu, 9 Add, 14 MatMul, 15 Softmax; operands chain through earlier values
  const kinds = [0, 9, 14, 1, 8, 10, 15, 2, 11, 16]
  // the LeakyRelu (step 4) reads the input x, which has negative entries
  const r = buildGraph('float32', kinds.map((kind, i) => ({ kind, a: i === 4 ? 0 : i + 1, b: i, param: 0.6 })), 7)
  expect(r.graph.nodes).toHaveLength(10)
  const d = await firstDivergence(broken, await loadEngine('reference-f64'), r.graph, r.feeds)
  expect(d?.node).toBe('n4_LeakyRelu')
  expect(d?.message).toMatch(/node "n4_LeakyRelu" \(LeakyRelu\) output\[\d+,\d+\] = \S+ but reference-f64 gives/)
})

test('a seeded sample of the oracle engines passes in npm test (the full runs are npm run conformance)', async () => {
  const r = await nnspec(['--engine', 'tfjs-cpu,onnxruntime', '--quick', '--claims', 'ops.Gemm,ops.Conv,ops.Softmax,ops.MaxPool,ops.LSTM,ops.differential,activation.softmax-distribution,loss.*,backprop.golden-example'])
  expect(r.code, r.out).toBe(0)
  expect(r.out).toMatch(/tfjs-cpu: \d+ pass, 0 fail, 0 error/)
  expect(r.out).toMatch(/onnxruntime: \d+ pass, 0 fail, 0 error/)
})
