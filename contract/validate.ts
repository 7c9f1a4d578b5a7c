// validateGraph: one check of a graph before any engine compiles it, offered to every adapter.
// Structure (names defined before use, once; no cycles), each node against its op's schema (operand
// counts, attribute types and ranges, static operands' shapes and dtypes), dtype agreement, and the
// shape of every value where the op defines it. An error names the node: `Error in node "c1" (Conv): …`.
import { OP_SCHEMA, SCALAR_OPERANDS, STATIC_INPUTS, staticOperands, type AttrType } from './onnx_schema.ts'
import type { DType, Graph, Node, TensorData } from './types.ts'
import { inferNode, type Dim, type Shape } from './shape_inference.ts'

export type { Dim, Shape }

export class GraphValidationError extends Error {
  override name = 'GraphValidationError'
}

export interface ValueInfo {
  dtype: DType
  /** undefined where the op's output shape depends on values, or an input's shape is unknown */
  shape?: Shape
}

export const nodeLabel = (node: Node, i: number): string => `node "${node?.name ?? `#${i}`}" (${node?.op})`
const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'int64', 'bool']
const isFloat = (d: DType) => d === 'float32' || d === 'float64'
const isInt = (d: DType) => d === 'int64' || d === 'int32'
const fmt = (s: readonly Dim[]) => `[${s.join(',')}]`

function checkAttr(node: Node, name: string, type: AttrType, v: unknown, fail: (m: string) => never): void {
  const num = (x: unknown) => typeof x === 'number' && Number.isFinite(x)
  const int = (x: unknown) => Number.isInteger(x)
  const ok =
    type === 'FLOAT' ? num(v)
    : type === 'INT' ? int(v)
    : type === 'STRING' ? typeof v === 'string'
    : type === 'FLOATS' ? Array.isArray(v) && v.every(num)
    : type === 'INTS' ? Array.isArray(v) && v.every(int)
    : Array.isArray(v) && v.every((s) => typeof s === 'string')
  if (!ok) fail(`attribute ${name} must be ${type === 'FLOAT' ? 'a finite number' : type === 'INT' ? 'an integer' : type === 'STRING' ? 'a string' : type === 'FLOATS' ? 'an array of finite numbers' : type === 'INTS' ? 'an array of integers' : 'an array of strings'}, got ${JSON.stringify(v)}`)
}

/** Ranges opset 17 states for attribute values that do not depend on shapes. */
function checkRanges(node: Node, a: Record<string, unknown>, fail: (m: string) => never): void {
  const flag = (k: string) => a[k] === undefined || a[k] === 0 || a[k] === 1 || fail(`attribute ${k} must be 0 or 1, got ${a[k]}`)
  for (const k of ['transA', 'transB', 'keepdims', 'noop_with_empty_axes', 'ceil_mode', 'count_include_pad', 'linear_before_reset', 'input_forget', 'allowzero']) flag(k)
  const positive = (k: string) => a[k] === undefined || (a[k] as number[]).every((v) => v >= 1) || fail(`attribute ${k} must be ≥ 1 everywhere, got ${JSON.stringify(a[k])}`)
  for (const k of ['kernel_shape', 'strides', 'dilations']) positive(k)
  if (a['pads'] !== undefined && node.op !== 'Pad' && !(a['pads'] as number[]).every((v) => v >= 0)) fail(`attribute pads must be ≥ 0, got ${JSON.stringify(a['pads'])}`)
  if (a['group'] !== undefined && (a['group'] as number) < 1) fail(`attribute group must be ≥ 1, got ${a['group']}`)
  if (a['hidden_size'] !== undefined && (a['hidden_size'] as number) < 1) fail(`attribute hidden_size must be ≥ 1, got ${a['hidden_size']}`)
  const oneOf = (k: string, vs: string[]) => a[k] === undefined || vs.includes(a[k] as string) || fail(`attribute ${k} must be one of ${vs.join(', ')}, got ${JSON.stringify(a[k])}`)
  oneOf('direction', ['forward', 'reverse', 'bidirectional'])
  oneOf('mode', ['constant', 'reflect', 'edge'])
  oneOf('auto_pad', ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'])
  if (a['layout'] !== undefined && a['layout'] !== 0) fail(`attribute layout ${a['layout']} is not supported by the IR (only layout 0)`)
}

/** Static operands: initializers of an integer (shapes, axes, indices) or float/bool (bounds, ratio) dtype and the right rank. */
function checkStatic(graph: Graph, node: Node, fail: (m: string) => never): void {
  const keys = STATIC_INPUTS[node.op] ?? []
  node.inputs.forEach((name, k) => {
    const key = keys[k]
    if (!key || name === '') return
    const t = graph.initializers?.[name]
    if (!t) return // staticOperands names this
    if (SCALAR_OPERANDS.has(key)) {
      const want = key === 'training_mode' ? ['bool'] : ['float32', 'float64']
      if (!want.includes(t.dtype)) fail(`input ${k} ("${name}", ${key}) must be ${want.join(' or ')}, got ${t.dtype}`)
    } else {
      if (!isInt(t.dtype)) fail(`input ${k} ("${name}", ${key}) must be int64 (or int32), got ${t.dtype}`)
      if (t.shape.length !== 1 && key !== 'indices') fail(`input ${k} ("${name}", ${key}) must be 1-D, got shape ${fmt(t.shape)}`)
    }
  })
  if (node.op === 'Slice') {
    const lens = node.inputs.slice(1).filter((n) => n !== '').map((n) => graph.initializers?.[n]?.data.length)
    if (new Set(lens).size > 1) fail(`starts, ends, axes and steps must have one length, got ${lens.join(', ')}`)
    const steps = node.inputs[4] ? graph.initializers?.[node.inputs[4]] : undefined
    if (steps && Array.from(steps.data as ArrayLike<number | bigint>, Number).includes(0)) fail('a step of 0 is not allowed')
  }
}

function checkTensor(name: string, t: TensorData, fail: (m: string) => never): void {
  if (!t || typeof t !== 'object' || !DTYPES.includes(t.dtype)) fail(`initializer "${name}" has no valid dtype`)
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`initializer "${name}" has shape ${JSON.stringify(t.shape)}, not non-negative integers`)
  const n = t.shape.reduce((a, b) => a * b, 1)
  if (!ArrayBuffer.isView(t.data) || (t.data as ArrayLike<unknown>).length !== n) fail(`initializer "${name}" has ${(t.data as ArrayLike<unknown>)?.length} elements but shape ${fmt(t.shape)} needs ${n}`)
}

export interface ValidateOptions {
  /** concrete shapes for (some) graph inputs, e.g. the feeds of one run: symbolic dims get their sizes */
  feeds?: Record<string, { shape: number[] }>
}

/** Check the graph; returns the dtype and (where defined) the shape of every value. Throws GraphValidationError. */
export function validateGraph(graph: Graph, o: ValidateOptions = {}): Map<string, ValueInfo> {
  const top = (m: string): never => {
    throw new GraphValidationError(`Invalid graph: ${m}`)
  }
  if (!graph || typeof graph !== 'object') top('not an object')
  if (!Array.isArray(graph.inputs) || !Array.isArray(graph.nodes) || !Array.isArray(graph.outputs)) top('inputs, nodes and outputs must be arrays')
  if (graph.outputs.length === 0) top('it has no outputs')
  const values = new Map<string, ValueInfo>()
  const define = (name: unknown, info: ValueInfo, what: string, fail: (m: string) => never) => {
    if (typeof name !== 'string' || name === '') fail(`${what} has no name`)
    if (values.has(name as string)) fail(`"${name}" is defined twice (${what})`)
    values.set(name as string, info)
  }
  for (const inp of graph.inputs) {
    if (!inp || !DTYPES.includes(inp.dtype)) top(`graph input ${JSON.stringify(inp?.name)} has dtype ${JSON.stringify(inp?.dtype)}`)
    if (!Array.isArray(inp.shape) || !inp.shape.every((d) => (Number.isInteger(d) && (d as number) >= 0) || (typeof d === 'string' && d !== ''))) top(`graph input "${inp.name}" has shape ${JSON.stringify(inp.shape)}: dims are non-negative integers or names`)
    const fed = o.feeds?.[inp.name]?.shape
    define(inp.name, { dtype: inp.dtype, shape: fed && fed.length === inp.shape.length ? fed : inp.shape }, 'a graph input', top)
  }
  for (const [name, t] of Object.entries(graph.initializers ?? {})) {
    checkTensor(name, t, top)
    if (!values.has(name)) define(name, { dtype: t.dtype, shape: t.shape }, 'an initializer', top)
  }
  const later = new Map<string, number>()
  graph.nodes.forEach((n, i) => (n?.outputs ?? []).forEach((o) => later.set(o, i)))
  graph.nodes.forEach((node, i) => {
    const fail = (m: string): never => {
      throw new GraphValidationError(`Error in ${nodeLabel(node, i)}: ${m}`)
    }
    if (!node || typeof node.op !== 'string') return top(`node #${i} has no op`)
    const schema = OP_SCHEMA[node.op]
    if (!schema) fail(`unknown op "${node.op}": the IR has ${Object.keys(OP_SCHEMA).join(' ')}`)
    if (!Array.isArray(node.inputs) || !Array.isArray(node.outputs) || !node.inputs.every((x) => typeof x === 'string') || !node.outputs.every((x) => typeof x === 'string')) fail('inputs and outputs must be arrays of names')
    const given = node.inputs.length
    if (given < schema!.inputs[0] || given > schema!.inputs[1]) fail(`${given} operands, but ${node.op} takes ${schema!.inputs[0]}${schema!.inputs[1] === schema!.inputs[0] ? '' : `–${schema!.inputs[1] === Infinity ? '…' : schema!.inputs[1]}`}`)
    if (node.outputs.filter(Boolean).length < Math.max(1, schema!.outputs[0]) || node.outputs.length > schema!.outputs[1]) fail(`${node.outputs.length} outputs, but ${node.op} gives ${schema!.outputs[1]} at most (and at least one is needed)`)
    node.inputs.forEach((name, k) => {
      if (name === '') {
        if (k < schema!.inputs[0]) fail(`operand ${k} is required but omitted`)
        return
      }
      if (!values.has(name)) fail(later.has(name) && later.get(name)! >= i ? `input "${name}" is computed by ${nodeLabel(graph.nodes[later.get(name)!]!, later.get(name)!)}, which does not come before it: the graph has a cycle or is not in topological order` : `input "${name}" is not defined by any earlier node, graph input or initializer`)
    })
    const attrs = (node.attrs ?? {}) as Record<string, unknown>
    if (typeof attrs !== 'object' || Array.isArray(attrs)) fail('attrs must be an object')
    for (const [k, v] of Object.entries(attrs)) {
      const type = schema!.attrs[k]
      if (!type) fail(`attribute "${k}" is not in the opset-17 schema of ${node.op} (it has ${Object.keys(schema!.attrs).join(', ') || 'none'})`)
      checkAttr(node, k, type!, v, fail)
    }
    checkRanges(node, attrs, fail)
    checkStatic(graph, node, fail)
    const statics = staticOperands(graph, node, fail)
    const ins = node.inputs.map((n) => (n === '' ? undefined : values.get(n)))
    const runtime = ins.filter((v, k) => v && !STATIC_INPUTS[node.op]?.[k])
    const floats = new Set(runtime.map((v) => v!.dtype).filter(isFloat))
    if (floats.size > 1) fail(`operands mix ${[...floats].join(' and ')}: cast one of them`)
    const bad = runtime.find((v) => !isFloat(v!.dtype))
    if (bad) fail(`operand of dtype ${bad.dtype}: ${node.op} computes on float tensors`)
    const dtype = [...floats][0] ?? 'float32'
    let shapes: (Shape | undefined)[] = []
    // a present operand of unknown shape leaves the outputs unknown; omitted optional ones are undefined
    if (ins.every((v, k) => node.inputs[k] === '' || v?.shape)) {
      try {
        shapes = inferNode(node.op, ins.map((v) => v?.shape), { ...attrs, ...statics }, node.outputs.length)
      } catch (e) {
        return fail((e as Error).message)
      }
    }
    node.outputs.forEach((out, k) => {
      if (out === '') return
      define(out, { dtype: node.op === 'Dropout' && k === 1 ? 'bool' : node.op === 'MaxPool' && k === 1 ? 'int64' : dtype, ...(shapes[k] ? { shape: shapes[k] } : {}) }, `output ${k} of ${nodeLabel(node, i)}`, fail)
    })
  })
  for (const out of graph.outputs) if (!values.has(out)) top(`graph output "${out}" is never computed`)
  return values
}
