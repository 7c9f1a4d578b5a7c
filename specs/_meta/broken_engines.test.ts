// The tests of the tests, through the CLI as a user runs it: a broken engine makes `nnspec run` exit
// non-zero with a message naming the op and a replay command; the reference passes the same claims.
import { nnspec as cli } from './cli.ts'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'

const nnspecIn = (report: string, args: string[]) => cli(['run', '--report', report, ...args], 150_000)
const nnspec = (args: string[]) => nnspecIn(mkdtempSync(join(tmpdir(), 'nnspec-meta-')), args)

// Every broken engine failing its claims, with messages naming the op: soundness.test.ts (and the
// reference passing those same claims: the spec files, which npm test runs on both reference
// engines). Adapters that hang, crash or break the contract: isolation.test.ts. Here: the CLI's
// behaviour around them.
describe('a broken engine through the CLI', () => {
  test('one broken engine alone: exit code 1, the op named, a replay command', async () => {
    const r = await nnspec(['--engine', 'specs/_meta/broken/sigmoid_grad_is_sigma.ts', '--claims', 'backprop.chain-rule'])
    expect(r.code, r.out).toBe(1)
    expect(r.out).toMatch(/Sigmoid grad x.* but reference-f64 analytic gradient gives/)
    expect(r.out).toMatch(/replay: npx nnspec run --engine specs\/_meta\/broken\/sigmoid_grad_is_sigma\.ts --claims backprop\.chain-rule --seed \d+/)
  })
})

test('an engine module that does not exist is a usage error naming the file', async () => {
  const r = await nnspec(['--engine', 'specs/_meta/no_such_engine.ts'])
  expect(r.code).toBe(2)
  expect(r.out).toMatch(/engine module specs\/_meta\/no_such_engine\.ts not found/)
})

test('differential testing names the one diverging node of a 10-node graph', async () => {
  const { buildGraph } = await import('../../harness/arbitraries/graph.ts')
  const { firstDivergence } = await import('../../harness/differential.ts')
  const { loadEngine } = await import('../../harness/engines.ts')
  const broken = (await import('./broken/leakyrelu_ignores_alpha.ts')).default
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
