// The tests of the tests: every deliberately broken engine here must make `nnspec run` exit
// non-zero with a message that names what is broken. Each run is restricted to the claims that
// should catch it, and runs as a real CLI process, as a user would run it.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'

interface Run {
  code: number
  out: string
}

const nnspec = (args: string[]) => nnspecIn(mkdtempSync(join(tmpdir(), 'nnspec-meta-')), args)

function nnspecIn(report: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('node', ['bin/nnspec.js', 'run', '--report', report, ...args], { timeout: 150_000 }, (err, stdout, stderr) => {
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
  ['conv_padding_off_by_one', 'ops.Conv', /Conv Conv:0 has shape \[[\d,]+\] but reference-f64 gives shape|Conv Conv:0\[[\d,]+\] = \S+ but reference-f64 gives/],
  ['maxpool_grad_to_first', 'cnn.maxpool-loses-information', /MaxPool gradient at \(\d+,\d+\) is not at its window's argmax/],
  ['dropout_without_rescale', 'regularization.dropout', /Dropout\(0\.\d\) survivor scale/],
  ['he_init_wrong_fan', 'init.distributions', /he-normal: variance \S+ is not the stated/],
  ['adam_without_bias_correction', 'optim.update-rules', /adam step 1 θ/],
  ['momentum_sign_flipped', 'optim.update-rules', /momentum step 1 θ/],
  ['rmsprop_epsilon_outside', 'optim.update-rules', /rmsprop step 1 θ/],
  ['clip_per_element', 'optim.gradient-clipping', /global norm after clipNorm|clipNorm direction/],
  ['lstm_forget_output_swapped', 'rnn.gated-cells-match-onnx', /LSTM LSTM:\d\[[\d,]+\] = \S+ but onnxruntime gives/],
  ['gru_ignores_linear_before_reset', 'rnn.gated-cells-match-onnx', /GRU GRU:\d\[[\d,]+\] = \S+ but onnxruntime gives/],
  ['attention_without_scale', 'attention.no-extra-parameters', /attention weights\[\d+\] = \S+ but softmax\(QKᵀ\/√d\) in float64 gives/],
  ['leakyrelu_ignores_alpha', 'ops.differential', /first diverging node: node "n\d+_LeakyRelu" \(LeakyRelu\) output/],
]

// One CLI run over every broken engine at once (one vitest start-up instead of one per engine); each
// engine must fail its claim with a message naming the op. (Adapters that hang, crash or break the
// contract: isolation.test.ts.) A failing record is exactly what makes
// `nnspec run --engine <that file>` exit non-zero on its own, which the first test shows directly.
describe('broken engines are caught, naming the op', () => {
  test('one broken engine alone: exit code 1, the op named, a replay command', async () => {
    const r = await nnspec(['--engine', 'specs/_meta/broken/sigmoid_grad_is_sigma.ts', '--claims', 'backprop.chain-rule'])
    expect(r.code, r.out).toBe(1)
    expect(r.out).toMatch(BROKEN[0]![2])
    expect(r.out).toMatch(/replay: npx nnspec run --engine specs\/_meta\/broken\/sigmoid_grad_is_sigma\.ts --claims backprop\.chain-rule --seed \d+/)
  })

  test('every broken engine fails its claim with a message naming the op', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnspec-meta-all-'))
    const engines = BROKEN.map(([file]) => `specs/_meta/broken/${file}.ts`)
    const claims = [...new Set(BROKEN.map(([, c]) => c))]
    const r = await nnspecIn(dir, ['--engine', engines.join(','), '--claims', claims.join(',')])
    expect(r.code, r.out).toBe(1)
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as { records: { id: string; engine: string; status: string; message?: string }[] }
    for (const [file, claim, names] of BROKEN) {
      const rec = report.records.find((x) => x.engine.endsWith(`${file}.ts`) && x.id === claim)
      expect(rec?.status, `${file} on ${claim}`).toMatch(/^(fail|error)$/)
      expect(rec?.message, file).toMatch(names)
      expect(rec?.message, file).toMatch(new RegExp(`replay: npx nnspec run --engine specs/_meta/broken/${file}.ts --claims ${claim.replace(/\./g, '\\.')} --seed \\d+`))
    }
  })
})

test('an engine module that does not exist is a usage error naming the file', async () => {
  const r = await nnspec(['--engine', 'specs/_meta/no_such_engine.ts'])
  expect(r.code).toBe(2)
  expect(r.out).toMatch(/engine module specs\/_meta\/no_such_engine\.ts not found/)
})

test('the reference engine passes the same claims (the broken ones fail for their bug, not the claim)', async () => {
  const r = await nnspec(['--engine', 'reference', '--claims', [...new Set(BROKEN.map((b) => b[1]))].join(',')])
  expect(r.code, r.out).toBe(0)
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
