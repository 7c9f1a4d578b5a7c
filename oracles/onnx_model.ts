// A contract Graph as an ONNX ModelProto (opset 17), built with onnx-proto. Attribute types come
// from the op schema (contract/onnx_schema.ts), never from the JS value: Elu's alpha is a FLOAT even when written 1.
import pkg from 'onnx-proto'
import type { DType, Graph, Node, TensorData } from '../contract/types.ts'
import { OP_SCHEMA } from '../contract/onnx_schema.ts'
import { validateGraph } from '../contract/validate.ts'

const { onnx } = pkg
/** The TensorProto element type of each dtype of the IR (the reader inverts it). */
export const ELEM: Record<DType, number> = { float32: onnx.TensorProto.DataType.FLOAT, float64: onnx.TensorProto.DataType.DOUBLE, int32: onnx.TensorProto.DataType.INT32, int64: onnx.TensorProto.DataType.INT64, bool: onnx.TensorProto.DataType.BOOL }

function attribute(node: Node, name: string, value: unknown, fail: (m: string) => never) {
  const type = OP_SCHEMA[node.op]?.attrs[name]
  if (!type) fail(`attribute "${name}" is not in the opset-17 schema of ${node.op}`)
  const A = onnx.AttributeProto.AttributeType
  const enc = new TextEncoder()
  switch (type) {
    case 'FLOAT': return { name, type: A.FLOAT, f: value as number }
    case 'INT': return { name, type: A.INT, i: value as number }
    case 'STRING': return { name, type: A.STRING, s: enc.encode(value as string) }
    case 'FLOATS': return { name, type: A.FLOATS, floats: value as number[] }
    case 'INTS': return { name, type: A.INTS, ints: value as number[] }
    case 'STRINGS': return { name, type: A.STRINGS, strings: (value as string[]).map((v) => enc.encode(v)) }
  }
  return fail(`attribute "${name}" has an unsupported type`)
}

function tensorProto(name: string, t: TensorData) {
  const base = { name, dims: t.shape, dataType: ELEM[t.dtype] }
  switch (t.dtype) {
    case 'float32': return { ...base, floatData: Array.from(t.data as Float32Array) }
    case 'float64': return { ...base, doubleData: Array.from(t.data as Float64Array) }
    case 'int64': return { ...base, int64Data: Array.from(t.data as BigInt64Array, Number) }
    case 'int32': return { ...base, int32Data: Array.from(t.data as Int32Array) }
    case 'bool': return { ...base, int32Data: Array.from(t.data as Uint8Array) }
  }
}

const valueInfo = (name: string, dtype: DType, shape?: (number | string)[]) => ({
  name,
  type: { tensorType: { elemType: ELEM[dtype], ...(shape ? { shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } : {}) } },
})

/**
 * The serialized model. Output element types are the ones shape inference gives (a Dropout mask is
 * bool, MaxPool's Indices int64); where it cannot (a graph that does not validate, which ONNX Runtime
 * will then reject with its own message), the graph's first float input or initializer's type.
 */
export function toModelBytes(graph: Graph): Uint8Array {
  const floatType = graph.inputs.find((i) => i.dtype.startsWith('float'))?.dtype ?? Object.values(graph.initializers ?? {}).find((t) => t.dtype.startsWith('float'))?.dtype ?? 'float32'
  let inferred: ReturnType<typeof validateGraph> | undefined
  try {
    inferred = validateGraph(graph)
  } catch {
    inferred = undefined
  }
  const nodes = graph.nodes.map((node, i) => {
    const fail = (m: string): never => {
      throw new Error(`Error in node "${node.name ?? `#${i}`}" (${node.op}): ${m}`)
    }
    if (!OP_SCHEMA[node.op]) fail(`${node.op} is not an op of the IR`)
    return {
      opType: node.op,
      name: node.name ?? `n${i}`,
      input: node.inputs,
      output: node.outputs,
      attribute: Object.entries(node.attrs ?? {}).map(([k, v]) => attribute(node, k, v, fail)),
    }
  })
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'nnspec',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'nnspec',
      node: nodes,
      input: graph.inputs.map((i) => valueInfo(i.name, i.dtype, i.shape)),
      initializer: Object.entries(graph.initializers ?? {}).map(([k, t]) => tensorProto(k, t)),
      output: graph.outputs.map((o) => valueInfo(o, inferred?.get(o)?.dtype ?? floatType)),
    },
  })
  return onnx.ModelProto.encode(model).finish()
}
