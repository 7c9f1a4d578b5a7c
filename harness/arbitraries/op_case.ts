// One arbitrary: a single-op graph with random valid shapes, attributes and values. `weighted`
// turns it into a scalar loss Σ r ⊙ y with fixed random weights r (summed over the op's outputs),
// so a gradient check tests vᵀJ for a random v and depends on no other op's square or gradient.
// Values keep a margin from kinks (ReLU, Abs, Max ties, Clip bounds).
import fc from 'fast-check'
import type { FloatDType, Graph, TensorData } from '../../contract/types.ts'
import { ScaffoldMissing, weightedSum, type Recipe } from '../scalarize.ts'
import type { Supports } from '../supports.ts'
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

type Spec = { name: string; shape: number[]; lo?: number; hi?: number; away?: number[]; extremes?: readonly number[] }
interface Made {
  inputs: Spec[]
  attrs?: Record<string, unknown>
  /** constant operands after the inputs (shapes, axes, bounds); null leaves an optional one out */
  consts?: (TensorData | null)[]
  outputs?: number
}
type Maker = (r: Rng, size: number) => Made

const dims = (r: Rng, rank: number, size: number) => Array.from({ length: rank }, () => 1 + r.int(size + 1))
const pick = <T>(r: Rng, xs: T[]): T => xs[r.int(xs.length)]!
/** Each optional attribute is left out now and then, so that every ONNX default is exercised. */
const someOf = (r: Rng, attrs: Record<string, unknown>, required: string[] = []): Record<string, unknown> =>
  Object.fromEntries(Object.entries(attrs).filter(([k]) => required.includes(k) || r.next() < 0.7))

/**
 * Extreme values a case may hold where the op defines its result (ops.* only; gradients avoid them):
 * signed zeros, tiny and huge magnitudes. Ops that sum get moderate ones only: a float32 sum of ±huge
 * terms cancels away everything else, a rounding error no elementwise tolerance can be asked to cover.
 */
const HUGE = [0, -0, 1e-30, -1e-30, 1e-3, -1e-3, 1e30, -1e30, 3e38, -3e38]
const SUMMED = [0, -0, 1e-20, -1e-20, 1e3, -1e3]
const POSITIVE = [0, 1e-30, 1e-3, 1e30]

/** A shape and a second shape broadcasting against it (dropped leading dims, 1-sized axes). */
function broadcastPair(r: Rng, size: number): [number[], number[]] {
  const a = dims(r, 1 + r.int(3), size)
  const b = a.slice(r.int(a.length)).map((d) => (r.next() < 0.3 ? 1 : d))
  return r.next() < 0.5 ? [a, b] : [b, a]
}
const unary = (lo = -2, hi = 2, away: number[] = [], extremes: readonly number[] = HUGE): Maker => (r, s) => ({ inputs: [{ name: 'x', shape: dims(r, 1 + r.int(3), s), lo, hi, away, extremes }] })
const binary = (blo = -2, bhi = 2, bExtremes: readonly number[] = HUGE): Maker => (r, s) => {
  const [a, b] = broadcastPair(r, s)
  return { inputs: [{ name: 'a', shape: a, extremes: HUGE }, { name: 'b', shape: b, lo: blo, hi: bhi, extremes: bExtremes }] }
}
const variadic: Maker = (r, s) => {
  const [a, b] = broadcastPair(r, s)
  return { inputs: [{ name: 'a', shape: a, extremes: HUGE }, { name: 'b', shape: b, extremes: HUGE }, ...(r.next() < 0.5 ? [{ name: 'c', shape: a, extremes: HUGE }] : [])] }
}
const axisOf = (r: Rng, rank: number) => r.int(2 * rank) - rank
function reduce(axesAsInput: boolean): Maker {
  return (r, s) => {
    const shape = dims(r, 1 + r.int(3), s)
    const axes = [...new Set(Array.from({ length: 1 + r.int(shape.length) }, () => axisOf(r, shape.length)).map((a) => (a + shape.length) % shape.length))]
    const x = { name: 'x', shape, extremes: SUMMED }
    const all = r.next() < 0.2 // no axes: reduce over every axis (the default)
    const attrs = someOf(r, { keepdims: r.int(2) })
    if (axesAsInput) return { inputs: [x], attrs, consts: [all ? null : i64(axes)] }
    return { inputs: [x], attrs: all ? attrs : { ...attrs, axes } }
  }
}
/** N×C×spatial in 1-D, 2-D or 3-D, for the global pools */
const volume = (r: Rng, s: number) => [1 + r.int(2), 1 + r.int(3), ...Array.from({ length: pick(r, [1, 2, 2, 3]) }, () => 2 + r.int(s + 2))]
const recurrent = (gates: number, extra: Record<string, unknown> = {}): Maker => (r, s) => {
  const [seq, batch, inp, h] = [1 + r.int(s + 1), 1 + r.int(2), 1 + r.int(3), 1 + r.int(3)]
  const dirs = r.next() < 0.3 ? 2 : 1
  const direction = dirs === 2 ? 'bidirectional' : pick(r, ['forward', 'reverse'])
  return {
    inputs: [
      { name: 'X', shape: [seq, batch, inp], extremes: SUMMED }, { name: 'W', shape: [dirs, gates * h, inp] }, { name: 'R', shape: [dirs, gates * h, h] },
      // B and initial_h are optional: sometimes left out (zeros, as ONNX defines)
      { name: r.next() < 0.8 ? 'B' : '', shape: [dirs, 2 * gates * h] }, { name: '', shape: [] }, { name: r.next() < 0.8 ? 'h0' : '', shape: [dirs, batch, h] },
    ],
    attrs: { ...someOf(r, { hidden_size: h }), ...(direction === 'forward' && r.next() < 0.5 ? {} : { direction }), ...someOf(r, extra) },
    outputs: 2,
  }
}

/**
 * Spatial geometry that always fits, in 1-D, 2-D or 3-D (2-D drawn most often: it is what CNNs use):
 * the input is at least the dilated kernel's span (pools: pads below the kernel). 3-D is kept small.
 */
function window(r: Rng, s: number, opts: { dilate: boolean; pool: boolean }) {
  const d = pick(r, [1, 2, 2, 3])
  const small = d === 3 ? 0 : s
  const kernel = Array.from({ length: d }, () => 1 + r.int(d === 3 ? 2 : 3))
  const dilations = kernel.map(() => (opts.dilate ? 1 + r.int(2) : 1))
  const pads = [...kernel, ...kernel].map((k) => Math.min(r.int(2), opts.pool ? k - 1 : 1))
  // at least the dilated kernel's span, so it fits whether or not the pads are given (they may be left out)
  const spatial = kernel.map((k, i) => Math.max(1 + r.int(small + 3), (k - 1) * dilations[i]! + 1))
  return { kernel, dilations, pads, strides: kernel.map(() => 1 + r.int(2)), spatial }
}

export const OP_MAKERS: Record<string, Maker> = {
  Add: binary(), Sub: binary(), Mul: binary(), Div: binary(0.5, 2, [1e-3, -1e-3, 1e30, -1e30, 3e38]),
  Pow: (r, s) => {
    const a = dims(r, 2, s)
    return { inputs: [{ name: 'a', shape: a, lo: 0.5, hi: 2, extremes: POSITIVE }, { name: 'b', shape: r.next() < 0.5 ? [1] : [a[1]!], lo: -2, hi: 2, extremes: [0, -0, 1e-3, 2] }] }
  },
  Max: variadic, Min: variadic, Sum: variadic,
  Neg: unary(), Exp: unary(), Log: unary(0.3, 3, [], POSITIVE), Sqrt: unary(0.3, 3, [], POSITIVE), Abs: unary(-2, 2, [0]), Identity: unary(),
  Sigmoid: unary(-4, 4), Tanh: unary(-3, 3), Relu: unary(-2, 2, [0]), Softplus: unary(-4, 4),
  LeakyRelu: (r, s) => ({ ...unary(-2, 2, [0])(r, s), attrs: someOf(r, { alpha: r.uniform(0.01, 0.5) }) }),
  Elu: (r, s) => ({ ...unary(-2, 2, [0])(r, s), attrs: someOf(r, { alpha: r.uniform(0.2, 2) }) }),
  // min and max are optional operands: sometimes one or both are left out (no bound on that side)
  Clip: (r, s) => ({ ...unary(-2, 2, [-1, 1])(r, s), consts: [r.next() < 0.8 ? td('float64', [], [-1]) : null, r.next() < 0.8 ? td('float64', r.next() < 0.2 ? [1] : [], [1]) : null] }),
  Softmax: (r, s) => { const shape = dims(r, 1 + r.int(3), s); return { inputs: [{ name: 'x', shape, lo: -3, hi: 3, extremes: SUMMED }], attrs: someOf(r, { axis: axisOf(r, shape.length) }) } },
  LogSoftmax: (r, s) => { const shape = dims(r, 1 + r.int(3), s); return { inputs: [{ name: 'x', shape, lo: -3, hi: 3, extremes: SUMMED }], attrs: someOf(r, { axis: axisOf(r, shape.length) }) } },
  MatMul: (r, s) => {
    const [m, k, n, b] = [1 + r.int(s + 1), 1 + r.int(s + 1), 1 + r.int(s + 1), 1 + r.int(3)]
    const [a, bb] = pick(r, [[[m, k], [k, n]], [[k], [k, n]], [[m, k], [k]], [[b, m, k], [k, n]], [[1, m, k], [b, k, n]]])
    return { inputs: [{ name: 'a', shape: a!, extremes: SUMMED }, { name: 'b', shape: bb!, extremes: SUMMED }] }
  },
  Gemm: (r, s) => {
    const [m, k, n] = [1 + r.int(s + 1), 1 + r.int(s + 1), 1 + r.int(s + 1)]
    const attrs = someOf(r, { transA: r.int(2), transB: r.int(2), alpha: r.uniform(-2, 2), beta: r.uniform(-2, 2) })
    const [transA, transB] = [attrs['transA'] ?? 0, attrs['transB'] ?? 0]
    const C = pick(r, [[n], [m, n], [1, n], [m, 1], [], null])
    return {
      inputs: [{ name: 'A', shape: transA ? [k, m] : [m, k], extremes: SUMMED }, { name: 'B', shape: transB ? [n, k] : [k, n], extremes: SUMMED }, ...(C ? [{ name: 'C', shape: C, extremes: SUMMED }] : [])],
      attrs,
    }
  },
  Transpose: (r, s) => { const shape = dims(r, 1 + r.int(4), s); return { inputs: [{ name: 'x', shape, extremes: HUGE }], attrs: someOf(r, { perm: r.shuffle(shape.map((_, i) => i)) }) } },
  Reshape: (r, s) => {
    const shape = dims(r, 2 + r.int(2), s)
    const target = [shape[0]!, -1]
    // allowzero 1: a 0 in the target is a literal 0, legal only for an empty input
    if (r.next() < 0.15) return { inputs: [{ name: 'x', shape: [0, ...shape.slice(1)] }], attrs: { allowzero: 1 }, consts: [i64([...shape.slice(1), 0])] }
    return { inputs: [{ name: 'x', shape, extremes: HUGE }], consts: [i64(r.next() < 0.5 ? [0, -1] : target)] }
  },
  Flatten: (r, s) => { const shape = dims(r, 1 + r.int(3), s); return { inputs: [{ name: 'x', shape, extremes: HUGE }], attrs: someOf(r, { axis: r.int(shape.length + 1) }) } },
  Concat: (r, s) => {
    const shape = dims(r, 1 + r.int(3), s)
    const axis = axisOf(r, shape.length)
    const other = shape.map((d, i) => (i === (axis + shape.length) % shape.length ? 1 + r.int(s + 1) : d))
    return { inputs: [{ name: 'a', shape, extremes: HUGE }, { name: 'b', shape: other, extremes: HUGE }], attrs: { axis } }
  },
  ReduceSum: reduce(true), ReduceMean: reduce(false), ReduceMax: reduce(false),
  Slice: (r, s) => {
    const shape = dims(r, 2, s + 2)
    const ax = r.int(2)
    const start = r.int(shape[ax]!)
    // axes and steps are optional operands: left out, they mean every axis in order and steps of 1
    const full = r.next() < 0.7
    return { inputs: [{ name: 'x', shape, extremes: HUGE }], consts: full ? [i64([start]), i64([shape[ax]!]), i64([ax]), r.next() < 0.7 ? i64([1 + r.int(2)]) : null] : [i64([start]), i64([shape[0]!])] }
  },
  Gather: (r, s) => {
    const shape = dims(r, 2, s + 1)
    const axis = r.next() < 0.5 ? 1 : 0
    return { inputs: [{ name: 'x', shape, extremes: HUGE }], attrs: axis === 1 ? { axis } : r.next() < 0.5 ? { axis } : {}, consts: [i64([r.int(shape[axis]!), -1, 0])] }
  },
  Expand: (r, s) => { const shape = [1, 1 + r.int(s + 1)]; return { inputs: [{ name: 'x', shape, extremes: HUGE }], consts: [i64([1 + r.int(3), shape[1]!])] } },
  Pad: (r, s) => ({
    inputs: [{ name: 'x', shape: dims(r, 2, s + 1), extremes: HUGE }],
    attrs: someOf(r, { mode: pick(r, ['constant', 'edge']) }),
    consts: [i64([r.int(2), r.int(3), r.int(2), 0]), r.next() < 0.5 ? td('float64', [], [r.uniform(-1, 1)]) : null],
  }),
  Conv: (r, s) => {
    const group = pick(r, [1, 1, 2])
    const w = window(r, s, { dilate: true, pool: false })
    const [cin, m] = [group * (1 + r.int(2)), group * (1 + r.int(2))]
    return {
      inputs: [{ name: 'x', shape: [1 + r.int(2), cin, ...w.spatial], extremes: SUMMED }, { name: 'w', shape: [m, cin / group, ...w.kernel] }, ...(r.next() < 0.5 ? [{ name: 'b', shape: [m] }] : [])],
      attrs: { ...(group === 1 && r.next() < 0.5 ? {} : { group }), ...someOf(r, { strides: w.strides, dilations: w.dilations, pads: w.pads, kernel_shape: w.kernel }), ...(w.kernel.length === 3 ? { kernel_shape: w.kernel } : {}) },
    }
  },
  MaxPool: (r, s) => {
    const w = window(r, s, { dilate: false, pool: true })
    return { inputs: [{ name: 'x', shape: [1 + r.int(2), 1 + r.int(3), ...w.spatial], extremes: HUGE }], attrs: { kernel_shape: w.kernel, ...someOf(r, { strides: w.strides, pads: w.pads }) } }
  },
  AveragePool: (r, s) => {
    const w = window(r, s, { dilate: false, pool: true })
    return { inputs: [{ name: 'x', shape: [1 + r.int(2), 1 + r.int(3), ...w.spatial], extremes: SUMMED }], attrs: { kernel_shape: w.kernel, ...someOf(r, { strides: w.strides, pads: w.pads, count_include_pad: r.int(2) }) } }
  },
  GlobalAveragePool: (r, s) => ({ inputs: [{ name: 'x', shape: volume(r, s), extremes: SUMMED }] }),
  GlobalMaxPool: (r, s) => ({ inputs: [{ name: 'x', shape: volume(r, s), extremes: HUGE }] }),
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

export function buildOpCase(op: string, dtype: FloatDType, seed: number, size: number, extremes = false): OpCase {
  const r = new Rng(seed)
  const made = OP_MAKERS[op]!(r, size)
  const g = new GraphBuilder(dtype)
  const feeds: Record<string, TensorData> = {}
  const names = made.inputs.map((s) => {
    if (s.name === '') return '' // an optional operand the case leaves out
    const n = g.input(s.name, s.shape)
    const count = s.shape.reduce((a, b) => a * b, 1)
    const value = () => (extremes && s.extremes && r.next() < 0.2 ? pick(r, [...s.extremes]) : valueAway(r, s.lo ?? -2, s.hi ?? 2, s.away ?? []))
    feeds[n] = td(dtype, s.shape, Array.from({ length: count }, value))
    // ties: a repeated value where the op must pick among equals (Max, ReduceMax, pools, Softmax)
    if (extremes && count > 1 && r.next() < 0.3) (feeds[n]!.data as Float32Array)[1] = (feeds[n]!.data as Float32Array)[0]!
    return n
  })
  while (names.at(-1) === '') names.pop()
  const consts = (made.consts ?? []).map((t, i) => (t === null ? '' : g.const(`k${i}`, t.dtype === 'float64' ? td(dtype, t.shape, t.data as Float64Array) : t)))
  while (consts.at(-1) === '') consts.pop()
  const operands = [...names, ...consts]
  const outs = g.opN(op, operands, made.outputs ?? 1, made.attrs ?? {}, op)
  const wrt = names.filter((n) => n !== '')
  return { op, graph: g.output(...outs).build(), feeds, wrt, outputs: outs, note: `${op} seed ${seed} size ${size}${extremes ? ' extremes' : ''}` }
}

/**
 * The case with loss Σₖ Σ rₖ ⊙ yₖ appended, written with the engine's ops (harness/scalarize.ts; Mul and
 * ReduceSum when it has them); output shapes come from one forward run of the float64 reference engine,
 * the weights rₖ from the case's seed. Throws ScaffoldMissing when the engine cannot write the sum.
 */
export async function weighted(c: OpCase, dtype: FloatDType, engine: Supports = { supports: () => true }): Promise<OpCase & { loss: string; recipe: Recipe }> {
  const ref = await loadEngine('reference-f64')
  const compiled = await ref.compile(castGraph(c.graph, 'float64'))
  const shapes = Object.fromEntries(Object.entries(await compiled.run(castFeeds(c.feeds, 'float64'))).map(([k, t]) => [k, t.shape]))
  const r = new Rng(hashLabel(c.note))
  const ys = c.outputs.map((name) => ({ name, shape: shapes[name]!, r: Array.from({ length: shapes[name]!.reduce((a, b) => a * b, 1) }, () => r.uniform(-1, 1)) }))
  const g = GraphBuilder.from(c.graph, dtype)
  const { loss, recipe } = weightedSum(g, ys, engine)
  const graph = g.build()
  graph.outputs = [loss, ...c.outputs]
  return { ...c, graph, loss, recipe }
}

/** What a case was built from, read back from its note (`<op> seed <n> size <n>`, written by buildOpCase). */
const madeOf = (c: OpCase): { op: string; seed: number; size: number } => {
  const m = /^(\S+) seed (\d+) size (\d+)/.exec(c.note)!
  return { op: m[1]!, seed: Number(m[2]), size: Number(m[3]) }
}

/**
 * `weighted` on an engine that may lack the ops of the usual sum: when this case's outputs cannot be
 * summed with the engine's ops (a rank-1 output and no ReduceSum), the next seeds of the same op and
 * size are tried, deterministically, so the op under test is still checked on the shapes it can take.
 */
export async function weightedOn(c: OpCase, dtype: FloatDType, engine: Supports, tries = 24): Promise<(OpCase & { loss: string; recipe: Recipe }) | { reason: string }> {
  const { op, seed, size } = madeOf(c)
  let reason = ''
  for (let k = 0; k < tries; k++) {
    const next = k === 0 ? c : buildOpCase(op, dtype, (seed + k) % 2 ** 31, size)
    if (k > 0 && engine.supports(next.graph.nodes[0]!) !== true) continue
    try {
      return await weighted(next, dtype, engine)
    } catch (e) {
      if (!(e instanceof ScaffoldMissing)) throw e
      reason = e.message
    }
  }
  return { reason }
}

/** Random cases of the given ops (all by default) in one dtype; `extremes` adds signed zeros, tiny and huge values and ties (forward checks only). */
export const opCase = (c: { dtype: FloatDType; ops?: string[]; maxSize?: number; extremes?: boolean }): fc.Arbitrary<OpCase> =>
  fc
    .record({ op: fc.constantFrom(...(c.ops ?? OPS_WITH_CASES)), seed: fc.nat({ max: 2 ** 31 - 1 }), size: fc.integer({ min: 1, max: c.maxSize ?? 3 }) })
    .map(({ op, seed, size }) => buildOpCase(op, c.dtype, seed, size, c.extremes), (v) => madeOf(v as OpCase))
