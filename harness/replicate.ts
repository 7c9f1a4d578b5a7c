// Replicating a graph over a leading "replica" axis R (a vmap of the graph IR): every graph input
// gains that axis, initializers stay shared, and each node is rewritten so replica r of every
// value is what the original graph computes from replica r of the feeds. The statistical claims
// train a hundred small networks; run as one replicated graph, an engine pays its per-op overhead
// once per step instead of a hundred times (TensorFlow.js spends ~100 µs per op on bookkeeping).
// Only the ops those networks use are rewritten; any other op makes the graph non-replicable and
// the trials simply run one by one. Conv and GlobalMaxPool need the replica count itself (Conv runs
// as one grouped Conv over the replicas' channels, with group = R·group) and static shapes, so a
// graph with them is replicated per count (`count`) from the shapes its inputs declare.
import type { FloatDType, Graph, Node, TensorData } from '../contract/types.ts'
import { windowOf } from '../engine/ops/window.ts'
import { i64, td } from './tensors.ts'

export const REPLICAS = 'R'

/** A value's rank and whether it carries the replica axis (then `rank` counts it); its static shape per replica when known. */
interface Info {
  rank: number
  batched: boolean
  shape?: number[]
}

const UNARY = new Set(['Sigmoid', 'Tanh', 'Relu', 'LeakyRelu', 'Elu', 'Selu', 'Softplus', 'Softsign', 'HardSigmoid', 'Neg', 'Abs', 'Exp', 'Log', 'Sqrt', 'Reciprocal', 'Identity', 'Erf', 'Sin', 'Cos', 'Sign', 'Floor', 'Ceil'])
const BROADCASTING = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Sum', 'Max', 'Min', 'Mean'])
const REDUCE = new Set(['ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSumExp', 'ReduceSumSquare'])

export class NotReplicable extends Error {}

/** The float type a graph computes in, as its inputs declare it. */
export const floatTypeOf = (graph: Graph): FloatDType => (graph.inputs.some((i) => i.dtype === 'float64') ? 'float64' : 'float32')

/** Ops whose rewrite needs the replica count: a graph with one is replicated per count. */
const PER_COUNT = new Set(['Conv', 'GlobalMaxPool'])
export const needsCount = (graph: Graph): boolean => graph.nodes.some((n) => PER_COUNT.has(n.op))

const staticShape = (dims: readonly (number | string)[]): number[] | undefined => (dims.every((d): d is number => typeof d === 'number') ? [...dims] : undefined)

/** The replicated graph (for `count` replicas where the graph needs it), or NotReplicable naming the op that has no rewrite here. */
export function replicate(graph: Graph, count?: number): Graph {
  const info = new Map<string, Info>()
  for (const i of graph.inputs) info.set(i.name, { rank: i.shape.length + 1, batched: true, shape: staticShape(i.shape) })
  for (const [n, t] of Object.entries(graph.initializers ?? {})) info.set(n, { rank: t.shape.length, batched: false })
  const inits: Record<string, TensorData> = { ...(graph.initializers ?? {}) }
  const dtype = floatTypeOf(graph)
  const nodes: Node[] = []
  let fresh = 0
  const name = (base: string) => `${base}/rep${fresh++}`
  const emit = (op: string, inputs: string[], attrs: Record<string, unknown> | undefined, out: string, i: Info) => {
    nodes.push({ op, inputs, outputs: [out], ...(attrs ? { attrs } : {}), name: name(op) })
    info.set(out, i)
    return out
  }
  const constant = (base: string, t: TensorData) => {
    const n = name(base)
    inits[n] = t
    info.set(n, { rank: t.shape.length, batched: false })
    return n
  }
  /**
   * Insert size-1 axes after the replica axis until a batched value has `rank` dims, so that
   * numpy broadcasting (aligned from the right) pairs its dims with the right ones: [R, n] becomes
   * [R, 1, n] by Reshape [0, 1, −1] (0 copies R). Values with more than one dim past R are refused.
   */
  const lift = (v: string, rank: number) => {
    const i = info.get(v)!
    if (!i.batched || i.rank >= rank) return v
    if (i.rank > 2) throw new NotReplicable(`broadcasting "${v}" (rank ${i.rank - 1} per replica) against rank ${rank - 1}`)
    const shape = [0, ...Array<number>(rank - i.rank).fill(1), ...(i.rank === 2 ? [-1] : [])]
    return emit('Reshape', [v, constant('shape', i64(shape))], undefined, name(`${v}:lifted`), { rank, batched: true })
  }

  for (const node of graph.nodes) {
    const ins = node.inputs.map((n) => (n === '' ? undefined : info.get(n)))
    const out = node.outputs[0]!
    const fail = (why: string): never => {
      throw new NotReplicable(`${node.op} node "${node.name ?? out}": ${why}`)
    }
    if (ins.some((i, k) => i === undefined && node.inputs[k] !== '')) fail('an input of unknown rank')
    if (!ins.some((i) => i?.batched)) {
      // nothing replica-dependent flows in: the node stays as it is, shared by every replica
      if (node.outputs.length !== 1 || !(UNARY.has(node.op) || BROADCASTING.has(node.op))) fail('a constant subgraph through an op without a rank rule')
      nodes.push(node)
      info.set(out, { rank: Math.max(...ins.filter((i) => i !== undefined).map((i) => i.rank)), batched: false })
      continue
    }
    const attrs = node.attrs ?? {}
    const x = ins[0]!
    if (node.outputs.length !== 1) fail('more than one output')
    if (UNARY.has(node.op)) {
      nodes.push(node)
      info.set(out, { rank: x.rank, batched: true, shape: x.shape })
    } else if (BROADCASTING.has(node.op)) {
      const logical = Math.max(...ins.map((i) => i!.rank - (i!.batched ? 1 : 0)))
      nodes.push({ ...node, inputs: node.inputs.map((n) => lift(n, logical + 1)) })
      info.set(out, { rank: logical + 1, batched: true })
    } else if (node.op === 'MatMul') {
      const [a, b] = [ins[0]!, ins[1]!]
      if (!a.batched || !b.batched || a.rank !== b.rank || a.rank < 3) fail('MatMul is replicated only with both operands per replica, of equal rank ≥ 2')
      nodes.push(node)
      info.set(out, { rank: a.rank, batched: true })
    } else if (node.op === 'Gemm') {
      gemm(node, { emit, constant, lift, info, dtype }, fail)
    } else if (node.op === 'Conv' || node.op === 'GlobalMaxPool') {
      if (count === undefined) fail('needs the replica count')
      const tools = { emit, constant, lift, info, dtype }
      if (node.op === 'Conv') conv(node, count!, tools, fail)
      else globalMaxPool(node, count!, tools, fail)
    } else if (REDUCE.has(node.op)) {
      const axesIn = node.op === 'ReduceSum' ? node.inputs[1] : undefined
      const given = axesIn ? Array.from(inits[axesIn!]?.data ?? fail('axes not a constant'), Number) : (attrs['axes'] as number[] | undefined)
      if (given && given.length === 0 && attrs['noop_with_empty_axes'] === 1) fail('noop_with_empty_axes')
      const axes = given && given.length > 0 ? given.map((a) => (a >= 0 ? a + 1 : a)) : Array.from({ length: x.rank - 1 }, (_, k) => k + 1)
      const keep = attrs['keepdims'] !== 0
      const rank = keep ? x.rank : x.rank - axes.length
      if (node.op === 'ReduceSum') nodes.push({ ...node, inputs: [node.inputs[0]!, constant('axes', i64(axes))] })
      else nodes.push({ ...node, attrs: { ...attrs, axes } })
      info.set(out, { rank, batched: true })
    } else if (node.op === 'Flatten' && ((attrs['axis'] as number | undefined) ?? 1) <= 1) {
      // [d0, …] → [Π dims before axis, Π the rest]: per replica [R, d0, rest] or [R, 1, all]
      const axis = (attrs['axis'] as number | undefined) ?? 1
      emit('Reshape', [node.inputs[0]!, constant('shape', i64([0, axis === 1 ? 0 : 1, -1]))], undefined, out, { rank: 3, batched: true })
    } else if (node.op === 'Softmax' || node.op === 'LogSoftmax') {
      const axis = (attrs['axis'] as number | undefined) ?? -1
      nodes.push({ ...node, attrs: { ...attrs, axis: axis >= 0 ? axis + 1 : axis } })
      info.set(out, { rank: x.rank, batched: true })
    } else if (node.op === 'Transpose') {
      const perm = (attrs['perm'] as number[] | undefined) ?? Array.from({ length: x.rank - 1 }, (_, k) => x.rank - 2 - k)
      nodes.push({ ...node, attrs: { ...attrs, perm: [0, ...perm.map((p) => p + 1)] } })
      info.set(out, { rank: x.rank, batched: true })
    } else {
      fail('no replication rule')
    }
  }
  return {
    inputs: graph.inputs.map((i) => ({ ...i, shape: [REPLICAS, ...i.shape] })),
    initializers: inits,
    nodes,
    outputs: [...graph.outputs],
  }
}

type Emit = (op: string, inputs: string[], attrs: Record<string, unknown> | undefined, out: string, i: Info) => string
interface Tools {
  emit: Emit
  constant: (base: string, t: TensorData) => string
  lift: (v: string, rank: number) => string
  info: Map<string, Info>
  dtype: FloatDType
}

/** alpha·A'·B' + beta·C as Transpose, MatMul, Mul and Add over replicas (Gemm itself is 2-D only). */
function gemm(node: Node, t: Tools, fail: (why: string) => never): void {
  const [A, B, C] = node.inputs
  if (!t.info.get(A!)!.batched || !t.info.get(B!)!.batched) fail('Gemm is replicated only with A and B per replica')
  const at = node.attrs ?? {}
  const out = node.outputs[0]!
  const per = { rank: 3, batched: true }
  const transposed = (v: string, on: unknown) => (on === 1 ? t.emit('Transpose', [v], { perm: [0, 2, 1] }, `${v}:T:${out}`, per) : v)
  const scaled = (v: string, k: unknown) =>
    typeof k === 'number' && k !== 1 ? t.emit('Mul', [v, t.constant('scale', td(t.dtype, [], [k]))], undefined, `${v}:x${k}:${out}`, { ...t.info.get(v)! }) : v
  const ab = scaled(t.emit('MatMul', [transposed(A!, at['transA']), transposed(B!, at['transB'])], undefined, `${out}:AB`, per), at['alpha'])
  if (C) t.emit('Add', [ab, scaled(t.lift(C, 3), at['beta'])], undefined, out, per)
  else t.emit('Identity', [ab], undefined, out, per)
}

/** Known static per-replica shapes of batched values, or fail. */
function shapesOf(names: string[], t: Tools, fail: (why: string) => never): number[][] {
  return names.map((n) => {
    const i = t.info.get(n)!
    if (!i.batched || !i.shape) fail(`"${n}" is not per replica with a static shape`)
    return i.shape!
  })
}

/**
 * R replicas' Conv(x_r, W_r, b_r) as one Conv over their channels: X [R, N, C, …] → [N, R·C, …],
 * W [R, M, C/g, …] → [R·M, C/g, …], group R·g, so that group r·g + j is replica r's group j; the
 * output [N, R·M, …] goes back to [R, N, M, …].
 */
function conv(node: Node, R: number, t: Tools, fail: (why: string) => never): void {
  const [X, W, B] = node.inputs
  const [[N, C, ...spatial], [M, Cg, ...kernel]] = shapesOf([X!, W!], t, fail) as [number[], number[]]
  if (B && !t.info.get(B)!.batched) fail('a bias shared by the replicas')
  const group = (node.attrs?.['group'] as number | undefined) ?? 1
  const out = node.outputs[0]!
  const rank = spatial.length + 2
  const swap = [1, 0, ...Array.from({ length: rank - 1 }, (_, k) => k + 2)] // the first two axes exchanged
  const reshaped = (v: string, shape: number[], tag: string) => t.emit('Reshape', [v, t.constant('shape', i64(shape))], undefined, `${v}:${tag}:${out}`, { rank: shape.length, batched: false })
  const x = reshaped(t.emit('Transpose', [X!], { perm: swap }, `${X}:NR:${out}`, { rank: rank + 1, batched: false }), [N!, R * C!, ...spatial], 'grouped')
  const w = reshaped(W!, [R * M!, Cg!, ...kernel], 'grouped')
  const b = B ? [reshaped(B, [R * M!], 'grouped')] : []
  let o: number[]
  try {
    o = windowOf('Conv', spatial, kernel, node.attrs ?? {}).out
  } catch (e) {
    return fail((e as Error).message)
  }
  const y = t.emit('Conv', [x, w, ...b], { ...node.attrs, group: R * group }, `${out}:grouped`, { rank, batched: false })
  const y5 = reshaped(y, [N!, R, M!, ...o], 'split')
  t.emit('Transpose', [y5], { perm: swap }, out, { rank: rank + 1, batched: true, shape: [N!, M!, ...o] })
}

/** GlobalMaxPool over [R·N, C, …] (the replicas as more images), then back to [R, N, C, 1, …]. */
function globalMaxPool(node: Node, R: number, t: Tools, fail: (why: string) => never): void {
  const X = node.inputs[0]!
  const [[N, C, ...spatial]] = shapesOf([X], t, fail) as [number[]]
  const out = node.outputs[0]!
  const ones = spatial.map(() => 1)
  const images = t.emit('Reshape', [X, t.constant('shape', i64([R * N!, C!, ...spatial]))], undefined, `${X}:images:${out}`, { rank: spatial.length + 2, batched: false })
  const pooled = t.emit('GlobalMaxPool', [images], undefined, `${out}:images`, { rank: spatial.length + 2, batched: false })
  t.emit('Reshape', [pooled, t.constant('shape', i64([R, N!, C!, ...ones]))], undefined, out, { rank: spatial.length + 3, batched: true, shape: [N!, C!, ...ones] })
}
