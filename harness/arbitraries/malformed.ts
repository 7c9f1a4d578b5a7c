// Malformed graphs and feeds for fuzzing: seeded mutations of valid cases (a single op of every kind,
// or a random multi-node graph). Each mutation is one thing a real caller gets wrong: a dropped or
// misspelt input, a wrong rank, NaN/Inf/huge values, an attribute of the wrong type or range, a
// cycle, an empty tensor, a mismatched dtype, a missing feed, a duplicate name.
import type { FloatDType, Graph, TensorData } from '../../contract/types.ts'
import { Rng } from '../../contract/rng.ts'
import { buildGraph } from './graph.ts'
import { buildOpCase, OPS_WITH_CASES } from './op_case.ts'

export interface FuzzCase {
  graph: Graph
  feeds: Record<string, TensorData>
  /** what was done to the valid case, e.g. `Conv: attribute strides ← "2"` */
  mutation: string
  seed: number
}

type Mutate = (g: Graph, feeds: Record<string, TensorData>, r: Rng) => string | undefined

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[r.int(xs.length)]!
const node = (g: Graph, r: Rng) => (g.nodes.length > 0 ? g.nodes[r.int(g.nodes.length)] : undefined)
const feedName = (feeds: Record<string, TensorData>, r: Rng, floatOnly = false) => {
  const names = Object.keys(feeds).filter((k) => !floatOnly || feeds[k]!.dtype.startsWith('float'))
  return names.length > 0 ? pick(r, names) : undefined
}

const MUTATIONS: Record<string, Mutate> = {
  'drop an operand': (g, _f, r) => {
    const n = node(g, r)
    if (!n || n.inputs.length === 0) return undefined
    n.inputs.splice(r.int(n.inputs.length), 1)
    return `${n.op} with ${n.inputs.length} operands`
  },
  'undefined operand': (g, _f, r) => {
    const n = node(g, r)
    if (!n || n.inputs.length === 0) return undefined
    n.inputs[r.int(n.inputs.length)] = 'no_such_value'
    return `${n.op} reads no_such_value`
  },
  'wrong rank fed': (g, f, r) => {
    const k = feedName(f, r)
    if (!k) return undefined
    const t = f[k]!
    const shape = r.next() < 0.5 ? [...t.shape, 1] : t.shape.slice(1)
    f[k] = { ...t, shape, data: t.data.slice(0, shape.reduce((a, b) => a * b, 1)) as TensorData['data'] }
    return `feed ${k} of shape [${shape.join(',')}]`
  },
  'non-finite value fed': (g, f, r) => {
    const k = feedName(f, r, true)
    if (!k || f[k]!.data.length === 0) return undefined
    const v = pick(r, [NaN, Infinity, -Infinity])
    ;(f[k]!.data as Float64Array)[r.int(f[k]!.data.length)] = v
    return `feed ${k} holds ${v}`
  },
  'huge values fed': (g, f, r) => {
    const k = feedName(f, r, true)
    if (!k) return undefined
    const big = pick(r, [1e30, -1e30, 3e38, 1e300])
    ;(f[k]!.data as Float64Array).fill(big)
    return `feed ${k} filled with ${big}`
  },
  'attribute of the wrong type': (g, _f, r) => {
    const n = node(g, r)
    if (!n) return undefined
    const names = Object.keys(n.attrs ?? {})
    const name = names.length > 0 && r.next() < 0.7 ? pick(r, names) : pick(r, ['axis', 'alpha', 'perm', 'kernel_shape', 'strides', 'transA', 'keepdims'])
    const bad = pick(r, ['2', [1.5], 1.5, null, { a: 1 }, [], NaN, true] as unknown[])
    n.attrs = { ...(n.attrs ?? {}), [name]: bad }
    return `${n.op} attribute ${name} ← ${JSON.stringify(bad)}`
  },
  'attribute out of range': (g, _f, r) => {
    const n = node(g, r)
    if (!n) return undefined
    const [name, value] = pick(r, [['axis', 99], ['axis', -99], ['perm', [0, 0]], ['kernel_shape', [0, 2]], ['strides', [-1, 1]], ['pads', [-1, 0, 0, 0]], ['transA', 2], ['group', 0], ['hidden_size', -3], ['direction', 'sideways'], ['keepdims', 5], ['mode', 'wrap']] as [string, unknown][])
    n.attrs = { ...(n.attrs ?? {}), [name]: value }
    return `${n.op} attribute ${name} ← ${JSON.stringify(value)}`
  },
  'attributes dropped': (g, _f, r) => {
    const n = node(g, r)
    if (!n || !n.attrs || Object.keys(n.attrs).length === 0) return undefined
    delete n.attrs
    return `${n.op} without attributes`
  },
  cycle: (g, _f, r) => {
    if (g.nodes.length === 0) return undefined
    const i = r.int(g.nodes.length)
    const j = i + r.int(g.nodes.length - i)
    const n = g.nodes[i]!
    if (n.inputs.length === 0) return undefined
    n.inputs[0] = g.nodes[j]!.outputs[0]!
    return `${n.op} reads the output of a node at or after itself`
  },
  'empty tensor fed': (g, f, r) => {
    const k = feedName(f, r)
    if (!k) return undefined
    const t = f[k]!
    const shape = t.shape.map((d, i) => (i === 0 ? 0 : d))
    f[k] = { ...t, shape, data: t.data.slice(0, 0) as TensorData['data'] }
    const inp = g.inputs.find((x) => x.name === k)
    if (inp && r.next() < 0.5) inp.shape = shape
    return `feed ${k} of shape [${shape.join(',')}]`
  },
  'mismatched dtype': (g, f, r) => {
    const k = feedName(f, r, true)
    if (!k) return undefined
    const t = f[k]!
    const to = pick(r, ['float64', 'float32', 'int64'] as const)
    const data = to === 'int64' ? BigInt64Array.from(Array.from(t.data as Float64Array, (v) => BigInt(Number.isFinite(v) ? Math.trunc(v) : 0))) : to === 'float32' ? Float32Array.from(t.data as Float64Array) : Float64Array.from(t.data as Float32Array)
    f[k] = { dtype: to, shape: t.shape, data }
    return `feed ${k} as ${to}`
  },
  'missing feed': (g, f, r) => {
    const k = feedName(f, r)
    if (!k) return undefined
    delete f[k]
    return `no feed for ${k}`
  },
  'duplicate name': (g, _f, r) => {
    const n = node(g, r)
    if (!n || g.inputs.length === 0) return undefined
    n.outputs[0] = g.inputs[0]!.name
    return `${n.op} writes graph input ${g.inputs[0]!.name}`
  },
  'static operand malformed': (g, _f, r) => {
    const inits = Object.entries(g.initializers ?? {}).filter(([, t]) => t.dtype === 'int64' || t.shape.length === 0)
    if (inits.length === 0) return undefined
    const [k, t] = pick(r, inits)
    g.initializers![k] = r.next() < 0.5 ? { dtype: 'float32', shape: t.shape, data: Float32Array.from(Array.from(t.data as ArrayLike<number | bigint>, Number)) } : { ...t, shape: [...t.shape, 1, 2], data: t.data }
    return `static operand ${k} malformed`
  },
  'unknown graph output': (g) => {
    g.outputs = [...g.outputs, 'never_computed']
    return 'graph output never_computed'
  },
}

export const MUTATION_KINDS = Object.keys(MUTATIONS)

/** The seed-th malformed case: a valid case (one op, or a random graph), then one or two mutations. */
export function malformedCase(seed: number, dtype: FloatDType): FuzzCase {
  const r = new Rng(seed)
  const base =
    r.next() < 0.7
      ? (({ graph, feeds }) => ({ graph, feeds }))(buildOpCase(pick(r, OPS_WITH_CASES), dtype, r.int(2 ** 31), 1 + r.int(3)))
      : buildGraph(dtype, Array.from({ length: 2 + r.int(8) }, () => ({ kind: r.int(100), a: r.int(100), b: r.int(100), param: r.next() })), r.int(2 ** 31))
  const graph = structuredClone(base.graph)
  const feeds = Object.fromEntries(Object.entries(base.feeds).map(([k, t]) => [k, { ...t, shape: [...t.shape], data: t.data.slice() as TensorData['data'] }]))
  const done: string[] = []
  for (let tries = 0; done.length < 1 + (r.next() < 0.2 ? 1 : 0) && tries < 10; tries++) {
    const kind = pick(r, MUTATION_KINDS)
    const what = MUTATIONS[kind]!(graph, feeds, r)
    if (what) done.push(`${kind}: ${what}`)
  }
  return { graph, feeds, mutation: done.join('; ') || 'none', seed }
}
