// One arbitrary: a single-op graph with random valid shapes, attributes and values. `weighted`
// turns it into a scalar loss Σ r ⊙ y with fixed random weights r (summed over the op's outputs),
// so a gradient check tests vᵀJ for a random v and depends on no other op's square or gradient.
// Values keep a margin from kinks (ReLU, Abs, Max ties, Clip bounds).
import fc from 'fast-check'
import type { FloatDType, Graph, TensorData } from '../../contract/types.ts'
import { GraphBuilder } from '../graph_builder.ts'
import { loadEngine } from '../engines.ts'
import { hashLabel, Rng } from '../../contract/rng.ts'
import { castFeeds, castGraph, i64, td } from '../tensors.ts'

export interface OpCase {
  op: string
  graph: Graph
  feeds: Record<string, TensorData>
  wrt: string[]
  /** the op's outputs */
  outputs: string[]
  note: string
}

type Spec = { name: string; shape: number[]; lo?: number; hi?: number; away?: number[] }
interface Made {
  inputs: Spec[]
  attrs?: Record<string, unknown>
  /** constant operands after the inputs (shapes, axes, bounds) */
  consts?: TensorData[]
  outputs?: number
}
type Maker = (r: Rng, size: number) => Made

const dims = (r: Rng, rank: number, size: number) => Array.from({ length: rank }, () => 1 + r.int(size + 1))
const pick = <T>(r: Rng, xs: T[]): T => xs[r.int(xs.length)]!
/** A shape and a second shape broadcasting against it (dropped leading dims, 1-sized axes). */
function broadcastPair(r: Rng, size: number): [number[], number[]] {
  const a = dims(r, 1 + r.int(3), size)
  const b = a.slice(r.int(a.length)).map((d) => (r.next() < 0.3 ? 1 : d))
  return r.next() < 0.5 ? [a, b] : [b, a]
}
const unary = (lo = -2, hi = 2, away: number[] = []): Maker => (r, s) => ({ inputs: [{ name: 'x', shape: dims(r, 1 + r.int(3), s), lo, hi, away }] })
const binary = (blo = -2, bhi = 2): Maker => (r, s) => {
  const [a, b] = broadcastPair(r, s)
  return { inputs: [{ name: 'a', shape: a }, { name: 'b', shape: b, lo: blo, hi: bhi }] }
}
const variadic: Maker = (r, s) => {
  const [a, b] = broadcastPair(r, s)
  return { inputs: [{ name: 'a', shape: a }, { name: 'b', shape: b }, ...(r.next() < 0.5 ? [{ name: 'c', shape: a }] : [])] }
}
const axisOf = (r: Rng, rank: number) => r.int(2 * rank) - rank
function reduce(axesAsInput: boolean): Maker {
  return (r, s) => {
    const shape = dims(r, 1 + r.int(3), s)
    const axes = [...new Set(Array.from({ length: 1 + r.int(shape.length) }, () => axisOf(r, shape.length)).map((a) => (a + shape.length) % shape.length))]
    const keepdims = r.int(2)
    return axesAsInput ? { inputs: [{ name: 'x', shape }], attrs: { keepdims }, consts: [i64(axes)] } : { inputs: [{ name: 'x', shape }], attrs: { axes, keepdims } }
  }
}
const image = (r: Rng, s: number, c = 1 + r.int(3)) => [1 + r.int(2), c, 3 + r.int(s + 2), 3 + r.int(s + 2)]
const recurrent = (gates: number, extra: Record<string, unknown> = {}): Maker => (r, s) => {
  const [seq, batch, inp, h] = [1 + r.int(s + 1), 1 + r.int(2), 1 + r.int(3), 1 + r.int(3)]
  const dirs = r.next() < 0.3 ? 2 : 1
  return {
    inputs: [
      { name: 'X', shape: [seq, batch, inp] }, { name: 'W', shape: [dirs, gates * h, inp] }, { name: 'R', shape: [dirs, gates * h, h] },
      { name: 'B', shape: [dirs, 2 * gates * h] }, { name: '' , shape: [] }, { name: 'h0', shape: [dirs, batch, h] },
    ],
    attrs: { hidden_size: h, direction: dirs === 2 ? 'bidirectional' : pick(r, ['forward', 'reverse']), ...extra },
    outputs: 2,
  }
}

export const OP_MAKERS: Record<string, Maker> = {
  Add: binary(), Sub: binary(), Mul: binary(), Div: binary(0.5, 2),
  Pow: (r, s) => {
    const a = dims(r, 2, s)
    return { inputs: [{ name: 'a', shape: a, lo: 0.5, hi: 2 }, { name: 'b', shape: r.next() < 0.5 ? [1] : [a[1]!], lo: -2, hi: 2 }] }
  },
  Max: variadic, Min: variadic, Sum: variadic,
  Neg: unary(), Exp: unary(), Log: unary(0.3, 3), Sqrt: unary(0.3, 3), Abs: unary(-2, 2, [0]), Identity: unary(),
  Sigmoid: unary(-4, 4), Tanh: unary(-3, 3), Relu: unary(-2, 2, [0]), Softplus: unary(-4, 4),
  LeakyRelu: (r, s) => ({ ...unary(-2, 2, [0])(r, s), attrs: { alpha: r.uniform(0.01, 0.5) } }),
  Elu: (r, s) => ({ ...unary(-2, 2, [0])(r, s), attrs: { alpha: r.uniform(0.2, 2) } }),
  Clip: (r, s) => ({ ...unary(-2, 2, [-1, 1])(r, s), consts: [td('float64', [], [-1]), td('float64', [], [1])] }),
  Softmax: (r, s) => { const shape = dims(r, 1 + r.int(3), s); return { inputs: [{ name: 'x', shape, lo: -3, hi: 3 }], attrs: { axis: axisOf(r, shape.length) } } },
  LogSoftmax: (r, s) => { const shape = dims(r, 1 + r.int(3), s); return { inputs: [{ name: 'x', shape, lo: -3, hi: 3 }], attrs: { axis: axisOf(r, shape.length) } } },
  MatMul: (r, s) => {
    const [m, k, n, b] = [1 + r.int(s + 1), 1 + r.int(s + 1), 1 + r.int(s + 1), 1 + r.int(3)]
    const [a, bb] = pick(r, [[[m, k], [k, n]], [[k], [k, n]], [[m, k], [k]], [[b, m, k], [k, n]], [[1, m, k], [b, k, n]]])
    return { inputs: [{ name: 'a', shape: a! }, { name: 'b', shape: bb! }] }
  },
  Gemm: (r, s) => {
    const [m, k, n] = [1 + r.int(s + 1), 1 + r.int(s + 1), 1 + r.int(s + 1)]
    const [transA, transB] = [r.int(2), r.int(2)]
    const C = pick(r, [[n], [m, n], [1, n], [m, 1], null])
    return {
      inputs: [{ name: 'A', shape: transA ? [k, m] : [m, k] }, { name: 'B', shape: transB ? [n, k] : [k, n] }, ...(C ? [{ name: 'C', shape: C }] : [])],
      attrs: { transA, transB, alpha: r.uniform(-2, 2), beta: r.uniform(-2, 2) },
    }
  },
  Transpose: (r, s) => { const shape = dims(r, 1 + r.int(4), s); return { inputs: [{ name: 'x', shape }], attrs: { perm: r.shuffle(shape.map((_, i) => i)) } } },
  Reshape: (r, s) => {
    const shape = dims(r, 2 + r.int(2), s)
    const target = [shape[0]!, -1]
    return { inputs: [{ name: 'x', shape }], consts: [i64(r.next() < 0.5 ? [0, -1] : target)] }
  },
  Flatten: (r, s) => { const shape = dims(r, 1 + r.int(3), s); return { inputs: [{ name: 'x', shape }], attrs: { axis: r.int(shape.length + 1) } } },
  Concat: (r, s) => {
    const shape = dims(r, 1 + r.int(3), s)
    const axis = axisOf(r, shape.length)
    const other = shape.map((d, i) => (i === (axis + shape.length) % shape.length ? 1 + r.int(s + 1) : d))
    return { inputs: [{ name: 'a', shape }, { name: 'b', shape: other }], attrs: { axis } }
  },
  ReduceSum: reduce(true), ReduceMean: reduce(false), ReduceMax: reduce(false),
  Slice: (r, s) => {
    const shape = dims(r, 2, s + 2)
    const ax = r.int(2)
    const start = r.int(shape[ax]!)
    return { inputs: [{ name: 'x', shape }], consts: [i64([start]), i64([shape[ax]!]), i64([ax]), i64([1 + r.int(2)])] }
  },
  Gather: (r, s) => { const shape = dims(r, 2, s + 1); return { inputs: [{ name: 'x', shape }], attrs: { axis: 1 }, consts: [i64([r.int(shape[1]!), -1, 0])] } },
  Expand: (r, s) => { const shape = [1, 1 + r.int(s + 1)]; return { inputs: [{ name: 'x', shape }], consts: [i64([1 + r.int(3), shape[1]!])] } },
  Pad: (r, s) => ({ inputs: [{ name: 'x', shape: dims(r, 2, s + 1) }], attrs: { mode: pick(r, ['constant', 'edge']) }, consts: [i64([r.int(2), r.int(3), r.int(2), 0])] }),
  Conv: (r, s) => {
    const group = pick(r, [1, 1, 2])
    const x = image(r, s, group * (1 + r.int(2)))
    const k = [1 + r.int(3), 1 + r.int(2)]
    return {
      inputs: [{ name: 'x', shape: x }, { name: 'w', shape: [group * (1 + r.int(2)), x[1]! / group, k[0]!, k[1]!] }, { name: 'b', shape: [0] }],
      attrs: { group, strides: [1 + r.int(2), 1 + r.int(2)], dilations: [1 + r.int(2), 1], pads: [r.int(2), r.int(2), r.int(2), r.int(2)] },
    }
  },
  MaxPool: (r, s) => ({ inputs: [{ name: 'x', shape: image(r, s) }], attrs: { kernel_shape: [2, 1 + r.int(3)], strides: [1 + r.int(2), 1 + r.int(2)], pads: [r.int(2), 0, 0, r.int(1)] } }),
  AveragePool: (r, s) => ({ inputs: [{ name: 'x', shape: image(r, s) }], attrs: { kernel_shape: [2, 2], pads: [r.int(2), r.int(2), 0, 0], count_include_pad: r.int(2) } }),
  GlobalAveragePool: (r, s) => ({ inputs: [{ name: 'x', shape: image(r, s) }] }),
  GlobalMaxPool: (r, s) => ({ inputs: [{ name: 'x', shape: image(r, s) }] }),
  RNN: recurrent(1),
  GRU: (r, s) => recurrent(3, { linear_before_reset: r.int(2) })(r, s),
  LSTM: (r, s) => ({ ...recurrent(4)(r, s), outputs: 3 }),
}

export const OPS_WITH_CASES = Object.keys(OP_MAKERS)

/** Uniform in [lo, hi] but at least `margin` away from each point of `away`. */
function valueAway(r: Rng, lo: number, hi: number, away: number[], margin = 0.05): number {
  for (;;) {
    const v = r.uniform(lo, hi)
    if (away.every((a) => Math.abs(v - a) >= margin)) return v
  }
}

export function buildOpCase(op: string, dtype: FloatDType, seed: number, size: number): OpCase {
  const r = new Rng(seed)
  const made = OP_MAKERS[op]!(r, size)
  const g = new GraphBuilder(dtype)
  const feeds: Record<string, TensorData> = {}
  const names = made.inputs.map((s) => {
    if (s.name === '') return ''
    if (s.shape[0] === 0) return '' // an optional operand the case leaves out (Conv's bias sometimes)
    const n = g.input(s.name, s.shape)
    const count = s.shape.reduce((a, b) => a * b, 1)
    feeds[n] = td(dtype, s.shape, Array.from({ length: count }, () => valueAway(r, s.lo ?? -2, s.hi ?? 2, s.away ?? [])))
    return n
  })
  const consts = (made.consts ?? []).map((t, i) => g.const(`k${i}`, t.dtype === 'float64' ? td(dtype, t.shape, t.data as Float64Array) : t))
  const outs = g.opN(op, [...names, ...consts], made.outputs ?? 1, made.attrs ?? {}, op)
  const wrt = names.filter((n) => n !== '')
  return { op, graph: g.output(...outs).build(), feeds, wrt, outputs: outs, note: `${op} seed ${seed} size ${size}` }
}

/**
 * The case with loss Σₖ Σ rₖ ⊙ yₖ appended; output shapes come from one forward run of the float64
 * reference engine, the weights rₖ from the case's seed.
 */
export async function weighted(c: OpCase, dtype: FloatDType): Promise<OpCase & { loss: string }> {
  const ref = await loadEngine('reference-f64')
  const compiled = await ref.compile(castGraph(c.graph, 'float64'))
  const shapes = Object.fromEntries(Object.entries(await compiled.run(castFeeds(c.feeds, 'float64'))).map(([k, t]) => [k, t.shape]))
  const r = new Rng(hashLabel(c.note))
  const graph = structuredClone(c.graph)
  const terms = c.outputs.map((y, k) => {
    const w = `__r${k}`
    const n = shapes[y]!.reduce((a, b) => a * b, 1)
    graph.initializers![w] = td(dtype, shapes[y]!, Array.from({ length: n }, () => r.uniform(-1, 1)))
    graph.nodes.push({ op: 'Mul', inputs: [y, w], outputs: [`__ry${k}`] }, { op: 'ReduceSum', inputs: [`__ry${k}`], outputs: [`__s${k}`], attrs: { keepdims: 0 } })
    return `__s${k}`
  })
  if (terms.length > 1) graph.nodes.push({ op: 'Sum', inputs: terms, outputs: ['__loss'] })
  const loss = terms.length > 1 ? '__loss' : terms[0]!
  graph.outputs = [loss, ...c.outputs]
  return { ...c, graph, loss }
}

/** Random cases of the given ops (all by default) in one dtype. */
export const opCase = (c: { dtype: FloatDType; ops?: string[]; maxSize?: number }): fc.Arbitrary<OpCase> =>
  fc
    .record({ op: fc.constantFrom(...(c.ops ?? OPS_WITH_CASES)), seed: fc.nat({ max: 2 ** 31 - 1 }), size: fc.integer({ min: 1, max: c.maxSize ?? 3 }) })
    .map(({ op, seed, size }) => buildOpCase(op, c.dtype, seed, size), (v) => {
      const m = /^(\S+) seed (\d+) size (\d+)$/.exec((v as OpCase).note)!
      return { op: m[1]!, seed: Number(m[2]), size: Number(m[3]) }
    })
