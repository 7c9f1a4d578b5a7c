// The shape of each op's outputs from its operands' shapes and attributes, as opset 17 defines it.
// A dim is a size or a symbolic name; an output whose shape cannot be known (an operand's is
// unknown) is undefined. An operand combination the op does not accept throws, naming shapes.
export type Dim = number | string
export type Shape = Dim[]

const fmt = (s: readonly Dim[] | undefined) => (s ? `[${s.join(',')}]` : '[?]')
const known = (s: readonly Dim[]): s is number[] => s.every((d) => typeof d === 'number')
const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1)
const axisIn = (axis: number, rank: number, what = 'axis') => {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) throw new Error(`${what} ${axis} is out of range for rank ${rank}`)
  return axis < 0 ? axis + rank : axis
}

/** Multidirectional (numpy) broadcasting. */
export function broadcast(...shapes: Shape[]): Shape {
  const rank = Math.max(...shapes.map((s) => s.length))
  const out: Shape = []
  for (let i = 0; i < rank; i++) {
    const ds = shapes.map((s) => s[s.length - rank + i] ?? 1).filter((d) => d !== 1)
    const sizes = [...new Set(ds.filter((d) => typeof d === 'number'))]
    const names = [...new Set(ds.filter((d) => typeof d === 'string'))]
    if (sizes.length > 1) throw new Error(`shapes ${shapes.map(fmt).join(' and ')} do not broadcast (axis ${i}: ${sizes.join(' vs ')})`)
    out.push(sizes[0] ?? (names.length === 1 ? names[0]! : names.length === 0 ? 1 : names.join('|')))
  }
  return out
}

function matmul(a: Shape, b: Shape): Shape {
  if (a.length === 0 || b.length === 0) throw new Error('MatMul operands must have rank ≥ 1')
  const A = a.length === 1 ? [1, a[0]!] : a
  const B = b.length === 1 ? [b[0]!, 1] : b
  const [k1, k2] = [A.at(-1)!, B.at(-2)!]
  if (typeof k1 === 'number' && typeof k2 === 'number' && k1 !== k2) throw new Error(`inner dims differ: ${fmt(a)} × ${fmt(b)}`)
  const batch = broadcast(A.slice(0, -2), B.slice(0, -2))
  return [...batch, ...(a.length === 1 ? [] : [A.at(-2)!]), ...(b.length === 1 ? [] : [B.at(-1)!])]
}

/** Output sizes of a sliding window (Conv and the pools): floor (or ceil) of (in + pads − span)/stride + 1. */
function windowed(x: Shape, kernel: number[], a: Record<string, unknown>, op: string): Dim[] {
  const spatial = x.slice(2)
  if (kernel.length !== spatial.length) throw new Error(`kernel ${fmt(kernel)} does not match the ${spatial.length} spatial dims of ${fmt(x)}`)
  const n = spatial.length
  const strides = (a['strides'] as number[] | undefined) ?? kernel.map(() => 1)
  const dil = (a['dilations'] as number[] | undefined) ?? kernel.map(() => 1)
  const pads = (a['pads'] as number[] | undefined) ?? new Array<number>(2 * n).fill(0)
  if (strides.length !== n || dil.length !== n || pads.length !== 2 * n) throw new Error(`strides ${fmt(strides)}, dilations ${fmt(dil)} and pads ${fmt(pads)} must have ${n}, ${n} and ${2 * n} entries`)
  const auto = (a['auto_pad'] as string | undefined) ?? 'NOTSET'
  return spatial.map((d, i) => {
    if (typeof d !== 'number') return d
    const span = (kernel[i]! - 1) * dil[i]! + 1
    if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') return Math.ceil(d / strides[i]!)
    const total = auto === 'VALID' ? 0 : pads[i]! + pads[i + n]!
    const out = (a['ceil_mode'] === 1 ? Math.ceil : Math.floor)((d + total - span) / strides[i]!) + 1
    if (out < 1) throw new Error(`${op} kernel ${fmt(kernel)} (dilations ${fmt(dil)}) does not fit input ${fmt(spatial)} with pads ${fmt(pads)}`)
    return out
  })
}

function reduced(x: Shape, axes: number[] | undefined, a: Record<string, unknown>): Shape {
  const keep = a['keepdims'] !== 0
  if (!axes || axes.length === 0) {
    if (a['noop_with_empty_axes'] === 1) return x
    return keep ? x.map(() => 1) : []
  }
  const set = new Set(axes.map((ax) => axisIn(ax, x.length, 'reduction axis')))
  return x.flatMap((d, i) => (set.has(i) ? (keep ? [1] : []) : [d]))
}

type Infer = (ins: Shape[], a: Record<string, unknown>, outputs: number) => (Shape | undefined)[]
const same: Infer = ([x]) => [x!]
const elementwise: Infer = (ins) => [broadcast(...ins)]

function recurrent(gates: number): Infer {
  return ([X, W, R, B, , h0, c0], a, outputs) => {
    const h = a['hidden_size'] as number | undefined
    if (X!.length !== 3 || W!.length !== 3 || R!.length !== 3) throw new Error(`X ${fmt(X)}, W ${fmt(W)} and R ${fmt(R)} must be rank 3`)
    const dirs = a['direction'] === 'bidirectional' ? 2 : 1
    const hidden = h ?? (typeof R![2] === 'number' ? R![2] : undefined)
    if (hidden === undefined) return new Array(outputs).fill(undefined)
    const check = (s: Shape | undefined, want: Dim[], name: string) => {
      if (s && s.some((d, i) => typeof d === 'number' && typeof want[i] === 'number' && d !== want[i])) throw new Error(`${name} has shape ${fmt(s)}, expected ${fmt(want)}`)
      if (s && s.length !== want.length) throw new Error(`${name} has shape ${fmt(s)}, expected ${fmt(want)}`)
    }
    check(W, [dirs, gates * hidden, X![2]!], 'W')
    check(R, [dirs, gates * hidden, hidden], 'R')
    check(B, [dirs, 2 * gates * hidden], 'B')
    check(h0, [dirs, X![1]!, hidden], 'initial_h')
    check(c0, [dirs, X![1]!, hidden], 'initial_c')
    const Yh: Shape = [dirs, X![1]!, hidden]
    return [[X![0]!, dirs, X![1]!, hidden], Yh, Yh].slice(0, outputs)
  }
}

const INFER: Record<string, Infer> = {
  Add: elementwise, Sub: elementwise, Mul: elementwise, Div: elementwise, Pow: elementwise, Max: elementwise, Min: elementwise, Sum: elementwise,
  Neg: same, Exp: same, Log: same, Sqrt: same, Abs: same, Identity: same, Sigmoid: same, Tanh: same, Relu: same, Softplus: same, LeakyRelu: same, Elu: same, Clip: same,
  Softmax: ([x], a) => (axisIn((a['axis'] as number | undefined) ?? -1, x!.length), [x!]),
  LogSoftmax: ([x], a) => (axisIn((a['axis'] as number | undefined) ?? -1, x!.length), [x!]),
  Dropout: ([x], _a, outputs) => [x!, x!].slice(0, outputs),
  MatMul: ([a, b]) => [matmul(a!, b!)],
  Gemm: ([A, B, C], a) => {
    if (A!.length !== 2 || B!.length !== 2) throw new Error(`A ${fmt(A)} and B ${fmt(B)} must be 2-D`)
    const [m, k1] = a['transA'] === 1 ? [A![1]!, A![0]!] : [A![0]!, A![1]!]
    const [k2, n] = a['transB'] === 1 ? [B![1]!, B![0]!] : [B![0]!, B![1]!]
    if (typeof k1 === 'number' && typeof k2 === 'number' && k1 !== k2) throw new Error(`inner dims differ: A ${fmt(A)}${a['transA'] === 1 ? 'ᵀ' : ''} × B ${fmt(B)}${a['transB'] === 1 ? 'ᵀ' : ''}`)
    if (C) {
      const out = broadcast([m, n], C)
      if (out.length !== 2 || out.some((d, i) => typeof d === 'number' && typeof [m, n][i] === 'number' && d !== [m, n][i])) throw new Error(`C ${fmt(C)} does not broadcast to [${m},${n}]`)
    }
    return [[m, n]]
  },
  Transpose: ([x], a) => {
    const perm = (a['perm'] as number[] | undefined) ?? x!.map((_, i) => x!.length - 1 - i)
    if (perm.length !== x!.length || [...perm].sort((p, q) => p - q).some((v, i) => v !== i)) throw new Error(`perm ${fmt(perm)} is not a permutation of the ${x!.length} axes of ${fmt(x)}`)
    return [perm.map((p) => x![p]!)]
  },
  Flatten: ([x], a) => {
    const axis = axisIn((a['axis'] as number | undefined) ?? 1, x!.length + 1)
    const head = x!.slice(0, axis)
    const tail = x!.slice(axis)
    return [[known(head) ? prod(head) : `${head.join('·')}`, known(tail) ? prod(tail) : `${tail.join('·')}`]]
  },
  Reshape: ([x], a) => {
    const target = a['shape'] as number[]
    if (target.filter((d) => d === -1).length > 1) throw new Error(`shape ${fmt(target)} has more than one -1`)
    if (target.some((d) => d < -1)) throw new Error(`shape ${fmt(target)} has a negative size`)
    const dims: Dim[] = target.map((d, i) => (d === 0 && a['allowzero'] !== 1 ? (x![i] ?? NaN) : d))
    if (dims.some((d) => Number.isNaN(d))) throw new Error(`shape ${fmt(target)} copies a dim (0) that ${fmt(x)} does not have`)
    if (!known(x!) || !known(dims.filter((d) => d !== -1))) return [undefined]
    const rest = prod((dims as number[]).filter((d) => d !== -1))
    const total = prod(x as number[])
    if (dims.includes(-1)) {
      if (rest === 0 || total % rest !== 0) throw new Error(`cannot reshape ${fmt(x)} (${total} elements) to ${fmt(target)}`)
      return [dims.map((d) => (d === -1 ? total / rest : d))]
    }
    if (rest !== total) throw new Error(`cannot reshape ${fmt(x)} (${total} elements) to ${fmt(target)}`)
    return [dims]
  },
  Expand: ([x], a) => [broadcast(x!, a['shape'] as number[])],
  Concat: (ins, a) => {
    const rank = ins[0]!.length
    if (ins.some((s) => s.length !== rank)) throw new Error(`operands ${ins.map(fmt).join(', ')} differ in rank`)
    const axis = axisIn(a['axis'] as number, rank)
    const out = [...ins[0]!]
    for (let i = 0; i < rank; i++) {
      if (i === axis) out[i] = ins.every((s) => typeof s[i] === 'number') ? ins.reduce((t, s) => t + (s[i] as number), 0) : '?'
      else if (ins.some((s) => typeof s[i] === 'number' && typeof out[i] === 'number' && s[i] !== out[i])) throw new Error(`operands ${ins.map(fmt).join(', ')} differ off axis ${axis}`)
    }
    return [out]
  },
  Slice: ([x], a) => {
    const starts = a['starts'] as number[]
    const ends = a['ends'] as number[]
    const axes = (a['axes'] as number[] | undefined) ?? starts.map((_, i) => i)
    const steps = (a['steps'] as number[] | undefined) ?? starts.map(() => 1)
    const out = [...x!]
    axes.forEach((ax0, i) => {
      const ax = axisIn(ax0, x!.length, 'slice axis')
      const d = x![ax]!
      if (typeof d !== 'number') return void (out[ax] = '?')
      const step = steps[i]!
      const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + d : v, lo), hi)
      const [s, e] = step > 0 ? [clamp(starts[i]!, 0, d), clamp(ends[i]!, 0, d)] : [clamp(starts[i]!, -1, d - 1), clamp(ends[i]!, -1, d - 1)]
      out[ax] = Math.max(0, Math.ceil((e - s) / step))
    })
    return [out]
  },
  Gather: ([x], a) => {
    const axis = axisIn((a['axis'] as number | undefined) ?? 0, x!.length)
    const idx = a['indices']
    const idxShape = (a['indicesShape'] as number[] | undefined) ?? []
    const d = x![axis]
    if (typeof d === 'number') for (const v of Array.isArray(idx) ? idx : [idx as number]) if (v < -d || v >= d) throw new Error(`index ${v} is out of range for axis ${axis} of size ${d}`)
    return [[...x!.slice(0, axis), ...idxShape, ...x!.slice(axis + 1)]]
  },
  Pad: ([x], a) => {
    const pads = a['pads'] as number[]
    if (pads.length !== 2 * x!.length) throw new Error(`pads ${fmt(pads)} must have ${2 * x!.length} entries for ${fmt(x)}`)
    return [x!.map((d, i) => (typeof d === 'number' ? d + pads[i]! + pads[i + x!.length]! : d))]
  },
  ReduceSum: ([x], a) => [reduced(x!, a['axes'] as number[] | undefined, a)],
  ReduceMean: ([x], a) => [reduced(x!, a['axes'] as number[] | undefined, a)],
  ReduceMax: ([x], a) => [reduced(x!, a['axes'] as number[] | undefined, a)],
  Conv: ([x, w, b], a) => {
    if (x!.length < 3 || w!.length !== x!.length) throw new Error(`X ${fmt(x)} and W ${fmt(w)} must have the same rank ≥ 3`)
    const group = (a['group'] as number | undefined) ?? 1
    const [c, wc, m] = [x![1], w![1], w![0]]
    if (typeof c === 'number' && typeof wc === 'number' && c !== wc * group) throw new Error(`X has ${c} channels but W ${fmt(w)} with group ${group} reads ${wc}·${group}`)
    if (typeof m === 'number' && m % group !== 0) throw new Error(`${m} filters are not divisible by group ${group}`)
    if (b && (b.length !== 1 || (typeof b[0] === 'number' && typeof m === 'number' && b[0] !== m))) throw new Error(`bias ${fmt(b)} must be [${m}]`)
    const kernel = (a['kernel_shape'] as number[] | undefined) ?? (w!.slice(2) as number[])
    if (!known(w!.slice(2)) || kernel.some((k, i) => k !== w![i + 2])) throw new Error(`kernel_shape ${fmt(kernel)} does not match W ${fmt(w)}`)
    return [[x![0]!, m!, ...windowed(x!, kernel, a, 'Conv')]]
  },
  MaxPool: ([x], a, outputs) => {
    const k = a['kernel_shape'] as number[] | undefined
    if (!k) throw new Error('kernel_shape is required')
    if (x!.length < 3) throw new Error(`X ${fmt(x)} must have rank ≥ 3`)
    const y = [x![0]!, x![1]!, ...windowed(x!, k, a, 'MaxPool')]
    return [y, y].slice(0, outputs)
  },
  AveragePool: ([x], a) => {
    const k = a['kernel_shape'] as number[] | undefined
    if (!k) throw new Error('kernel_shape is required')
    if (x!.length < 3) throw new Error(`X ${fmt(x)} must have rank ≥ 3`)
    return [[x![0]!, x![1]!, ...windowed(x!, k, a, 'AveragePool')]]
  },
  GlobalAveragePool: ([x]) => [[x![0]!, x![1]!, ...x!.slice(2).map(() => 1)]],
  GlobalMaxPool: ([x]) => [[x![0]!, x![1]!, ...x!.slice(2).map(() => 1)]],
  RNN: recurrent(1),
  GRU: recurrent(3),
  LSTM: recurrent(4),
}

/** Output shapes of one node (undefined where unknown); `inputs` has undefined for omitted optional operands. Throws when the operands do not fit the op. */
export function inferNode(op: string, inputs: (Shape | undefined)[], attrs: Record<string, unknown>, outputs: number): (Shape | undefined)[] {
  const f = INFER[op]
  return f ? f(inputs as Shape[], attrs, outputs) : new Array<undefined>(outputs).fill(undefined)
}
