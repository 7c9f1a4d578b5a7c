// The ONNX reader (oracles/onnx_read.ts): IR → ModelProto → IR is the identity on every op's random
// cases, and bad files are clear errors naming the file, never a crash.
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import type { Graph, TensorData } from '../contract/types.ts'
import { toModelBytes } from '../oracles/onnx_model.ts'
import { fromModelBytes, OnnxFormatError, OnnxUnsupported, readTensorFile } from '../oracles/onnx_read.ts'
import { opCase } from './arbitraries/op_case.ts'
import { NODE_FIXTURES } from './onnx_cases.ts'

// the writer stores float attributes as protobuf FLOAT: compare them in float32
const attrs = (a: Record<string, unknown> = {}) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, typeof v === 'number' ? Math.fround(v) : Array.isArray(v) ? v.map((x) => (typeof x === 'number' ? Math.fround(x) : x)) : v]))
const tensor = (t: TensorData) => ({ dtype: t.dtype, shape: t.shape, data: Array.from(t.data as ArrayLike<number | bigint>, Number) })
const normal = (g: Graph) => ({
  inputs: g.inputs,
  outputs: g.outputs,
  nodes: g.nodes.map((n) => ({ op: n.op, inputs: n.inputs, outputs: n.outputs, attrs: attrs(n.attrs) })),
  initializers: Object.fromEntries(Object.entries(g.initializers ?? {}).map(([k, t]) => [k, tensor(t)])),
})

test('IR → ONNX → IR is the identity on random cases of every op', () => {
  fc.assert(
    fc.property(opCase({ dtype: 'float32' }), (c) => {
      expect(normal(fromModelBytes(toModelBytes(c.graph)).graph)).toEqual(normal(c.graph))
    }),
    { numRuns: 200, seed: 17 },
  )
})

test('a corrupt model, a truncated tensor and an op outside the IR are clear errors', () => {
  const model = readFileSync(join(NODE_FIXTURES, 'test_relu/model.onnx'))
  expect(() => fromModelBytes(model.subarray(0, 40), 'cut.onnx')).toThrow(new OnnxFormatError('cut.onnx: not a valid ONNX ModelProto (index out of range: 40 + 10 > 40)'))
  const input = readFileSync(join(NODE_FIXTURES, 'test_relu/test_data_set_0/input_0.pb'))
  expect(() => readTensorFile(input.subarray(0, input.length - 30), 'input_0.pb')).toThrow(OnnxFormatError)
  const g: Graph = { inputs: [{ name: 'x', dtype: 'float32', shape: [2] }], nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }], outputs: ['y'] }
  const bytes = Buffer.from(toModelBytes(g)).toString('latin1').replace('Relu', 'Selu')
  expect(() => fromModelBytes(Buffer.from(bytes, 'latin1'))).toThrow(new OnnxUnsupported('unsupported: Selu (not an op of the IR)'))
})

test('the official cases decode to the values ONNX wrote (raw_data and typed fields)', () => {
  const { graph } = fromModelBytes(readFileSync(join(NODE_FIXTURES, 'test_relu/model.onnx')))
  expect(graph.nodes).toEqual([{ op: 'Relu', inputs: ['x'], outputs: ['y'] }])
  const x = readTensorFile(readFileSync(join(NODE_FIXTURES, 'test_relu/test_data_set_0/input_0.pb')), 'x').tensor
  const y = readTensorFile(readFileSync(join(NODE_FIXTURES, 'test_relu/test_data_set_0/output_0.pb')), 'y').tensor
  expect(x.shape).toEqual([3, 4, 5])
  expect(Array.from(y.data as Float32Array)).toEqual(Array.from(x.data as Float32Array, (v) => Math.max(v, 0)))
})
