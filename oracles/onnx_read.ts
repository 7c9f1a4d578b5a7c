// ONNX → IR: a ModelProto (or a TensorProto .pb file) read back into a contract Graph, the inverse of
// onnx_model.ts. Anything the IR cannot say (an op outside it, an attribute opset 17 does not
// define, a tensor type it has no dtype for, a subgraph) is an OnnxUnsupported naming the op and
// why; bytes that are not a model, or a tensor shorter than its dims, an OnnxFormatError.
import pkg from 'onnx-proto'
import type { DType, Graph, GraphInput, Node, TensorData } from '../contract/types.ts'
import { OP_SCHEMA, type AttrType } from '../contract/onnx_schema.ts'
import { ELEM } from './onnx_model.ts'

const { onnx } = pkg
type Int = number | { toString(): string }

/** The file is not a valid ONNX message (corrupt, truncated, or another format). */
export class OnnxFormatError extends Error {}
/** A valid ONNX file that uses something outside the IR: "unsupported: <op> (<reason>)". */
export class OnnxUnsupported extends Error {}

const T = onnx.TensorProto.DataType
const DTYPE: Partial<Record<number, DType>> = Object.fromEntries(Object.entries(ELEM).map(([dtype, elem]) => [elem, dtype as DType]))
/** The typed array that holds each dtype (raw_data is its little-endian bytes). */
const ARRAY = { float32: Float32Array, float64: Float64Array, int32: Int32Array, int64: BigInt64Array, bool: Uint8Array } as const
const typeName = (t: number) => T[t] ?? `type ${t}`
const toNumber = (v: Int) => Number(typeof v === 'number' ? v : v.toString())

/** Decode protobuf bytes, turning the decoder's errors into one that names the file. */
function decode<M>(what: string, where: string, bytes: Uint8Array, dec: (b: Uint8Array) => M): M {
  try {
    return dec(bytes)
  } catch (e) {
    throw new OnnxFormatError(`${where}: not a valid ONNX ${what} (${(e as Error).message})`)
  }
}

/** A TensorProto as TensorData: raw_data (little-endian) or the typed fields, checked against its dims. */
export function tensorFromProto(p: pkg.onnx.ITensorProto, where: string): TensorData {
  const dtype = DTYPE[p.dataType ?? 0]
  const name = p.name ? `"${p.name}"` : 'tensor'
  if (!dtype) throw new OnnxUnsupported(`unsupported: ${name} (element type ${typeName(p.dataType ?? 0)} has no dtype in the IR)`)
  if (p.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) throw new OnnxUnsupported(`unsupported: ${name} (external data)`)
  const shape = (p.dims ?? []).map(toNumber)
  const n = shape.reduce((a, b) => a * b, 1)
  const raw = p.rawData && p.rawData.length > 0 ? p.rawData : undefined
  const bytesPer = ARRAY[dtype].BYTES_PER_ELEMENT
  if (raw && raw.length % bytesPer !== 0) throw new OnnxFormatError(`${where}: tensor ${name} has ${raw.length} raw bytes, not a whole number of ${dtype} values (truncated or corrupt)`)
  const count = raw ? raw.length / bytesPer : { float32: p.floatData, float64: p.doubleData, int32: p.int32Data, int64: p.int64Data, bool: p.int32Data }[dtype]?.length ?? 0
  if (count !== n) throw new OnnxFormatError(`${where}: tensor ${name} of shape [${shape.join(',')}] needs ${n} ${dtype} values but holds ${count} (truncated or corrupt)`)
  // a copy: aligned, and not a view into the decoder's (Node Buffer) pool
  if (raw) return { dtype, shape, data: new ARRAY[dtype](Uint8Array.from(raw).buffer) }
  const data = {
    float32: () => Float32Array.from(p.floatData ?? []),
    float64: () => Float64Array.from(p.doubleData ?? []),
    int32: () => Int32Array.from(p.int32Data ?? []),
    int64: () => BigInt64Array.from((p.int64Data ?? []) as Int[], (v) => BigInt(v.toString())),
    bool: () => Uint8Array.from(p.int32Data ?? []),
  }[dtype]()
  return { dtype, shape, data }
}

/** One `input_0.pb`-style file: a serialized TensorProto. */
export function readTensorFile(bytes: Uint8Array, where: string): { name: string; tensor: TensorData } {
  const p = decode('TensorProto', where, bytes, (b) => onnx.TensorProto.decode(b))
  return { name: p.name ?? '', tensor: tensorFromProto(p, where) }
}

const A = onnx.AttributeProto.AttributeType
function attribute(op: string, a: pkg.onnx.IAttributeProto): unknown {
  const want: AttrType | undefined = OP_SCHEMA[op]!.attrs[a.name ?? '']
  if (!want) throw new OnnxUnsupported(`unsupported: ${op} (attribute "${a.name}" is not in its opset-17 schema)`)
  const dec = new TextDecoder()
  const got = ({ [A.FLOAT]: 'FLOAT', [A.INT]: 'INT', [A.STRING]: 'STRING', [A.FLOATS]: 'FLOATS', [A.INTS]: 'INTS', [A.STRINGS]: 'STRINGS' } as Record<number, AttrType>)[a.type ?? 0]
  if (got !== want) throw new OnnxUnsupported(`unsupported: ${op} (attribute "${a.name}" is ${A[a.type ?? 0] ?? a.type}, opset 17 defines ${want})`)
  switch (want) {
    case 'FLOAT': return a.f ?? 0
    case 'INT': return toNumber(a.i ?? 0)
    case 'STRING': return dec.decode(a.s ?? new Uint8Array())
    case 'FLOATS': return [...(a.floats ?? [])]
    case 'INTS': return (a.ints ?? []).map(toNumber)
    case 'STRINGS': return (a.strings ?? []).map((s) => dec.decode(s))
  }
}

/**
 * Opsets before which an op of the IR meant something else with the same operands (Softmax before 13
 * coerced its input to 2-D; Max, Min and Sum before 8 did not broadcast; Gemm's C was required before
 * 11). Differences visible in the operands or attributes are caught by the schema. After opset 17 the
 * IR's ops changed mostly in types, which the dtypes catch; AveragePool gained dilations (19: the
 * schema catches them), Pad gained "wrap" (19, checked below), and the pools' ceil_mode output size
 * changed in 22 (windows starting in the right padding are dropped), which no attribute shows: the
 * node tests it affects are expectation lines quoting the Changelog.
 */
const SAME_MEANING_SINCE: Readonly<Record<string, number>> = { Softmax: 13, LogSoftmax: 13, Max: 8, Min: 8, Sum: 8, Gemm: 11 }

/** A node of the model as an IR node, or OnnxUnsupported for what opset 17's IR does not have. */
function node(n: pkg.onnx.INodeProto, opset: number): Node {
  const op = n.opType ?? ''
  if (n.domain && n.domain !== 'ai.onnx') throw new OnnxUnsupported(`unsupported: ${op} (domain "${n.domain}")`)
  const schema = OP_SCHEMA[op]
  if (!schema) throw new OnnxUnsupported(`unsupported: ${op} (not an op of the IR)`)
  if (opset < (SAME_MEANING_SINCE[op] ?? 1)) throw new OnnxUnsupported(`unsupported: ${op} (at opset ${opset} it means something else than at opset 17; same meaning since opset ${SAME_MEANING_SINCE[op]})`)
  const inputs = [...(n.input ?? [])]
  while (inputs.at(-1) === '') inputs.pop() // trailing omitted optionals say nothing
  const outputs = [...(n.output ?? [])]
  if (inputs.length < schema.inputs[0] || inputs.length > schema.inputs[1]) throw new OnnxUnsupported(`unsupported: ${op} (${inputs.length} inputs; opset 17 takes ${schema.inputs[0]}–${schema.inputs[1]})`)
  if (outputs.length > schema.outputs[1]) throw new OnnxUnsupported(`unsupported: ${op} (${outputs.length} outputs; opset 17 gives at most ${schema.outputs[1]})`)
  const attrs = Object.fromEntries((n.attribute ?? []).map((a) => [a.name ?? '', attribute(op, a)]))
  if (op === 'Pad' && attrs['mode'] === 'wrap') throw new OnnxUnsupported('unsupported: Pad (mode "wrap" is opset 19)')
  return { op, inputs, outputs, ...(Object.keys(attrs).length ? { attrs } : {}), ...(n.name ? { name: n.name } : {}) }
}

/** The value of a Constant node (value, value_float(s), value_int(s)). */
function constant(n: pkg.onnx.INodeProto, where: string): TensorData {
  const [a] = n.attribute ?? []
  if (!a || (n.attribute ?? []).length !== 1) throw new OnnxFormatError(`${where}: Constant "${n.output?.[0]}" must have exactly one value attribute`)
  switch (a.name) {
    case 'value': return tensorFromProto(a.t ?? {}, where)
    case 'value_float': return { dtype: 'float32', shape: [], data: Float32Array.of(a.f ?? 0) }
    case 'value_floats': return { dtype: 'float32', shape: [(a.floats ?? []).length], data: Float32Array.from(a.floats ?? []) }
    case 'value_int': return { dtype: 'int64', shape: [], data: BigInt64Array.of(BigInt((a.i ?? 0).toString())) }
    case 'value_ints': return { dtype: 'int64', shape: [(a.ints ?? []).length], data: BigInt64Array.from(a.ints ?? [], (v) => BigInt(v.toString())) }
  }
  throw new OnnxUnsupported(`unsupported: Constant (attribute "${a.name}")`)
}

function valueType(v: pkg.onnx.IValueInfoProto): GraphInput {
  const t = v.type?.tensorType
  if (!t) throw new OnnxUnsupported(`unsupported: input "${v.name}" (not a tensor: sequences, maps and optionals are outside the IR)`)
  const dtype = DTYPE[t.elemType ?? 0]
  if (!dtype) throw new OnnxUnsupported(`unsupported: input "${v.name}" (element type ${typeName(t.elemType ?? 0)} has no dtype in the IR)`)
  const shape = (t.shape?.dim ?? []).map((d, i) => (d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null ? toNumber(d.dimValue) : `d${i}`))
  return { name: v.name ?? '', dtype, shape }
}

export interface ImportedModel {
  graph: Graph
  /** the default-domain opset the model imports */
  opset: number
}

/** A serialized ModelProto as an IR graph. Initializers that are also listed as inputs stay initializers. */
export function fromModelBytes(bytes: Uint8Array, where = 'model.onnx'): ImportedModel {
  const m = decode('ModelProto', where, bytes, (b) => onnx.ModelProto.decode(b))
  if (!m.graph) throw new OnnxFormatError(`${where}: not a valid ONNX ModelProto (it has no graph)`)
  const opset = toNumber(m.opsetImport?.find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0)
  const initializers = Object.fromEntries((m.graph.initializer ?? []).map((t) => [t.name ?? '', tensorFromProto(t, where)]))
  if ((m.graph.sparseInitializer ?? []).length > 0) throw new OnnxUnsupported('unsupported: graph (sparse initializers)')
  const inputs = (m.graph.input ?? []).filter((v) => !(v.name! in initializers)).map(valueType)
  // a Constant node is an initializer written as a node: fold it, so that static operands stay static
  const nodes = (m.graph.node ?? []).flatMap((n) => (n.opType === 'Constant' && !n.domain ? (void Object.assign(initializers, { [n.output?.[0] ?? '']: constant(n, where) }), []) : [node(n, opset)]))
  return { graph: { inputs, ...(Object.keys(initializers).length ? { initializers } : {}), nodes, outputs: (m.graph.output ?? []).map((o) => o.name ?? '') }, opset }
}
