// `nnspec check-model`: a small CNN written by the project's own ONNX writer and an official fixture
// model get a verdict in seconds; a broken gradient is named; a corrupt file, a truncated tensor, an
// op outside the IR and missing --shape are clear errors with exit 2, never a stack trace.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { Rng } from '../../contract/rng.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { randomTensor } from '../../harness/tensors.ts'
import { toModelBytes } from '../../oracles/onnx_model.ts'
import { nnspec } from './cli.ts'
import pkg from 'onnx-proto'

const { onnx } = pkg

const dir = mkdtempSync(join(tmpdir(), 'nnspec-check-model-'))
const file = (name: string, bytes: Uint8Array | string) => (writeFileSync(join(dir, name), bytes), join(dir, name))

/** x [N,1,6,6] → Conv 3×3 (4 filters) → Relu → MaxPool 2×2 → Flatten → Gemm → y [N,3] */
function cnn(batch: number | string): Uint8Array {
  const rng = new Rng(7)
  const g = new GraphBuilder('float32')
  const x = g.input('x', [batch, 1, 6, 6])
  const h = g.op('Conv', [x, g.const('W', randomTensor(rng, 'float32', [4, 1, 3, 3])), g.const('b', randomTensor(rng, 'float32', [4]))], { pads: [1, 1, 1, 1] })
  const p = g.op('MaxPool', [g.op('Relu', [h])], { kernel_shape: [2, 2], strides: [2, 2] })
  const y = g.op('Gemm', [g.op('Flatten', [p]), g.const('W2', randomTensor(rng, 'float32', [36, 3])), g.const('b2', randomTensor(rng, 'float32', [3]))])
  return toModelBytes(g.output(y).build())
}

/** The model changed by `edit` (decoded and encoded again with onnx-proto). */
function edited(bytes: Uint8Array, edit: (m: InstanceType<typeof onnx.ModelProto>) => void): Uint8Array {
  const m = onnx.ModelProto.decode(bytes)
  edit(m)
  return onnx.ModelProto.encode(m).finish()
}

const check = (model: string, ...args: string[]) => nnspec(['check-model', model, '--report', dir, ...args], 60_000)

test('a small CNN agrees with reference-f64 in outputs and in every initializer gradient; a broken Conv gradient is named', async () => {
  const model = file('cnn.onnx', cnn(2))
  const ok = await check(model, '--engine', 'reference')
  expect(ok.code, ok.out).toBe(0)
  expect(ok.stdout).toMatch(/✓ output .* max \|Δ\|/)
  expect(ok.stdout).toMatch(/gradients of Σ outputs w\.r\.t\. 4 initializers \(151 values, elementwise\)/)
  expect(ok.stdout).toMatch(/verdict: agrees with reference-f64/)
  expect(JSON.parse(readFileSync(join(dir, 'check-model.json'), 'utf8'))).toMatchObject({ verdict: 'agrees', engine: 'reference' })
  const broken = await check(model, '--engine', 'specs/_meta/broken/per_op.ts#grad-Conv')
  expect(broken.code, broken.out).toBe(1)
  expect(broken.stdout).toMatch(/✗ ∂Σout\/∂W max .*\n\s+∂Σout\/∂W\[\d+,\d+,\d+,\d+\] = \S+ but reference-f64 gives/)
  expect(broken.stdout).toMatch(/verdict: DISAGREES/)
}, 120_000)

test('an official node-test model (all inputs, no initializers) gets a verdict; symbolic dims need --shape', async () => {
  const r = await check('fixtures/onnx-node/test_conv_with_strides_padding/model.onnx', '--engine', 'reference')
  expect(r.code, r.out).toBe(0)
  expect(r.stdout).toMatch(/gradients not checked: the model has no float initializers/)
  const model = file('cnn_batch.onnx', cnn('N'))
  const missing = await check(model, '--engine', 'reference')
  expect([missing.code, missing.stderr.trim()]).toEqual([2, 'nnspec: input "x" has symbolic dims [N,1,6,6]: give its shape with --shape x=1,1,6,6'])
  const given = await check(model, '--engine', 'reference', '--shape', 'x=3,1,6,6')
  expect(given.code, given.out).toBe(0)
}, 120_000)

test('a corrupt file, a truncated tensor and an op outside the IR: exit 2 with what is wrong, no stack trace', async () => {
  const bytes = cnn(1)
  const cases: [string, Uint8Array | string, RegExp][] = [
    ['corrupt.onnx', bytes.subarray(0, 100), /^nnspec: .*corrupt\.onnx: not a valid ONNX ModelProto \(/],
    ['text.onnx', 'not a model at all', /^nnspec: .*text\.onnx: not a valid ONNX ModelProto/],
    // initializer W one value short of what its dims ask for
    ['truncated.onnx', edited(bytes, (m) => void (m.graph!.initializer!.find((t) => t.name === 'W')!.floatData!.shift())), /^nnspec: .*truncated\.onnx: tensor "W" of shape \[4,1,3,3\] needs 36 float32 values but holds 35 \(truncated or corrupt\)$/],
    ['selu.onnx', edited(bytes, (m) => void (m.graph!.node!.find((n) => n.opType === 'Relu')!.opType = 'Selu')), /^nnspec: .*selu\.onnx: unsupported: Selu \(not an op of the IR\)$/],
    // a node reads a value nothing defines: the graph is malformed
    ['dangling.onnx', edited(bytes, (m) => void (m.graph!.node!.find((n) => n.opType === 'MaxPool')!.input = ['nowhere'])), /^nnspec: .*dangling\.onnx: Error in node "MaxPool" \(MaxPool\): input "nowhere" is not defined by any earlier node, graph input or initializer$/],
  ]
  for (const [name, content, says] of cases) {
    const r = await check(file(name, content), '--engine', 'reference')
    expect(r.code, `${name}: ${r.out}`).toBe(2)
    expect(r.stderr.trim(), name).toMatch(says)
    expect(r.stderr, name).not.toMatch(/\n\s+at /)
  }
  const none = await check(join(dir, 'absent.onnx'), '--engine', 'reference')
  expect([none.code, none.stderr.trim()]).toEqual([2, `nnspec: ${join(dir, 'absent.onnx')}: no such file`])
}, 120_000)
