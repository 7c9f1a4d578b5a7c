// ONNX ops (opset 17) as TensorFlow.js ops. ONNX images are NCHW and its weights [M, C, kh, kw];
// tfjs wants NHWC and [kh, kw, C, M], so Conv and the pools transpose on the way in and out.
import type * as TF from '@tensorflow/tfjs'

type Tf = typeof TF
type T = TF.Tensor
export type Attrs = Record<string, unknown>
/** A translation: tensors in, tensors out; `k` holds the node's static operands (shapes, axes…). */
export type Translation = (tf: Tf, x: T[], a: Attrs, k: Record<string, number[] | number>) => T[]

const num = (a: Attrs, key: string, d: number): number => (typeof a[key] === 'number' ? (a[key] as number) : d)
const ints = (a: Attrs, key: string): number[] | undefined => (Array.isArray(a[key]) ? (a[key] as number[]) : undefined)
const norm = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis)
const size = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1)

/**
 * tf.transpose, or a reshape when the permutation only moves size-1 axes (the same data in the same
 * order): tfjs-cpu copies a transpose element by element, and Conv on one channel transposes tiny
 * tensors on every call (a third of the CNN stroke claim's time on tfjs-cpu).
 */
function transpose(tf: Tf, x: T, perm: number[]): T {
  const moved = perm.filter((p) => x.shape[p] !== 1)
  return moved.every((p, i) => i === 0 || moved[i - 1]! < p) ? tf.reshape(x, perm.map((p) => x.shape[p]!)) : tf.transpose(x, perm)
}

/** Apply f along `axis` by moving it last (tfjs softmax only works on the last axis). */
function alongAxis(tf: Tf, x: T, axis: number, f: (t: T) => T): T {
  const a = norm(axis, x.rank)
  if (a === x.rank - 1) return f(x)
  const perm = [...Array(x.rank).keys()].filter((i) => i !== a).concat(a)
  const inv = perm.map((_, i) => perm.indexOf(i))
  return transpose(tf, f(transpose(tf, x, perm)), inv)
}

function matmul(tf: Tf, a: T, b: T): T {
  const a2 = a.rank === 1 ? a.reshape([1, a.shape[0]!]) : a
  const b2 = b.rank === 1 ? b.reshape([b.shape[0]!, 1]) : b
  let y = tf.matMul(a2, b2)
  if (a.rank === 1) y = tf.squeeze(y, [y.rank - 2])
  if (b.rank === 1) y = tf.squeeze(y, [y.rank - 1])
  return y
}

function reduce(tf: Tf, f: 'sum' | 'mean' | 'max', x: T, axes: number[] | undefined, a: Attrs): T {
  if ((!axes || axes.length === 0) && num(a, 'noop_with_empty_axes', 0) === 1) return x
  return tf[f](x, axes && axes.length > 0 ? axes.map((ax) => norm(ax, x.rank)) : undefined, num(a, 'keepdims', 1) === 1)
}

/** ONNX pads [t, l, b, r] → tfjs explicit NHWC padding. */
const explicit = (p: number[]): [[number, number], [number, number], [number, number], [number, number]] => [[0, 0], [p[0]!, p[2]!], [p[1]!, p[3]!], [0, 0]]
const spatialAxes = (x: T) => x.shape.slice(2).map((_, i) => i + 2)
const nhwc = (tf: Tf, x: T) => transpose(tf, x, [0, 2, 3, 1])
const nchw = (tf: Tf, x: T) => transpose(tf, x, [0, 3, 1, 2])

/** ONNX auto_pad/pads resolved to explicit [t, l, b, r] for spatial size hw. */
export function padsOf(a: Attrs, hw: number[], kernel: number[], strides: number[], dil: number[]): number[] {
  const auto = (a['auto_pad'] as string | undefined) ?? 'NOTSET'
  if (auto === 'VALID') return [0, 0, 0, 0]
  if (auto === 'NOTSET') return ints(a, 'pads') ?? [0, 0, 0, 0]
  const p = [0, 0, 0, 0]
  for (const k of [0, 1]) {
    const out = Math.ceil(hw[k]! / strides[k]!)
    const total = Math.max(0, (out - 1) * strides[k]! + (kernel[k]! - 1) * dil[k]! + 1 - hw[k]!)
    const small = Math.floor(total / 2)
    p[k] = auto === 'SAME_UPPER' ? small : total - small
    p[k + 2] = total - p[k]!
  }
  return p
}

function conv(tf: Tf, [x, w, b]: T[], a: Attrs): T[] {
  const group = num(a, 'group', 1)
  const strides = (ints(a, 'strides') ?? [1, 1]) as [number, number]
  const dil = (ints(a, 'dilations') ?? [1, 1]) as [number, number]
  const pads = padsOf(a, x!.shape.slice(2) as number[], w!.shape.slice(2) as number[], strides, dil)
  let y: T
  if (group > 1 && group === x!.shape[1] && w!.shape[1] === 1) {
    // one input channel per group: tfjs's depthwise convolution, output channel c·mult + q as ONNX's
    const [M, , kh, kw] = w!.shape as number[]
    const filter = transpose(tf, w!.reshape([group, M! / group, kh!, kw!]), [2, 3, 0, 1]) as TF.Tensor4D
    y = tf.depthwiseConv2d(nhwc(tf, x!) as TF.Tensor4D, filter, strides, explicit(pads), 'NHWC', dil)
  } else {
    const xs = group === 1 ? [x!] : tf.split(x!, group, 1)
    const ws = group === 1 ? [w!] : tf.split(w!, group, 0)
    const ys = xs.map((xi, i) => tf.conv2d(nhwc(tf, xi) as TF.Tensor4D, transpose(tf, ws[i]!, [2, 3, 1, 0]) as TF.Tensor4D, strides, explicit(pads), 'NHWC', dil))
    y = ys.length === 1 ? ys[0]! : tf.concat(ys, 3)
  }
  y = nchw(tf, y)
  if (b) y = broadcasting(tf, tf.add, y, b.reshape([1, -1, 1, 1]))
  return [y]
}

function pool(tf: Tf, kind: 'max' | 'avg', x: T, a: Attrs): T {
  const k = ints(a, 'kernel_shape')! as [number, number]
  const strides = (ints(a, 'strides') ?? [1, 1]) as [number, number]
  const dil = (ints(a, 'dilations') ?? [1, 1]) as [number, number]
  const pads = padsOf(a, x.shape.slice(2) as number[], k, strides, dil)
  if (kind === 'max') {
    // pad with −∞ explicitly so padding never wins, then pool without padding
    const padded = tf.pad(nhwc(tf, x), explicit(pads), -Infinity)
    return nchw(tf, tf.pool(padded as TF.Tensor4D, k, 'max', 'valid', dil, strides))
  }
  const sum = (t: T) => tf.mul(tf.pool(tf.pad(nhwc(tf, t), explicit(pads)) as TF.Tensor4D, k, 'avg', 'valid', dil, strides), k[0] * k[1])
  const s = sum(x)
  const count = num(a, 'count_include_pad', 0) === 1 ? tf.scalar(k[0] * k[1]) : sum(tf.onesLike(x))
  return nchw(tf, tf.div(s, count))
}

/**
 * A 1-D Conv or pool as a 2-D one over a height of 1: x [N,C,W] → [N,C,1,W], w [M,C,k] → [M,C,1,k],
 * and every per-dim attribute gets the identity for the new dim; the height is squeezed out again.
 * (3-D is declined in tfjsSupports: tf.conv3d and the 3-D pools take only "same"/"valid" padding.)
 */
const lift1d = (f: Translation): Translation => (tf, xs, a, k) => {
  if (xs[0]!.rank !== 3) return f(tf, xs, a, k)
  const up = (t: T | undefined, i: number) => (t && (i < 2) ? tf.expandDims(t, 2) : t)
  const per = (key: string, d: number) => (ints(a, key) ? { [key]: [d, ...ints(a, key)!] } : {})
  const p = ints(a, 'pads')
  const a2 = { ...a, ...per('strides', 1), ...per('dilations', 1), ...per('kernel_shape', 1), ...(p ? { pads: [0, p[0]!, 0, p[1]!] } : {}) }
  return f(tf, xs.map((t, i) => up(t, i) as T), a2, k).map((y) => tf.squeeze(y, [2]))
}

/**
 * q spread along the axes where it broadcasts against `out` (aligned on the right), by a batched
 * product with ones per run of such axes: [P, 1, Q] → ones[1, n, 1] · q = [P, n, Q].
 * Why: tfjs-cpu's binary kernels fall back to per-element index arithmetic whenever an operand
 * broadcasts along a size-1 axis, and the gradient sums that axis back through an element-wise
 * transpose. Replicated training adds biases [R, 1, N] to [R, B, N] on every step: a third of
 * tfjs-cpu's time in the training claims. The product's gradient is a product too.
 * What differs from the plain kernel: the values are the same bit for bit except that a −0 becomes
 * +0 (0 + −0), a sign a later op can expose (1/(3·−0) is −∞, 1/(3·+0) is +∞); and the gradient sums
 * the broadcast axes in float32 blocks of 48 (BatchMatMul) where tfjs's Sum adds in float64, so it
 * can differ in the last float32 bits. Hence only Add, Sub and Mul, and only on large outputs: the op
 * checks draw their extremes (±0 among them) on small tensors, which keep the plain kernel.
 */
function spread(tf: Tf, q: T, out: number[]): T {
  let shape = [...Array(out.length - q.rank).fill(1), ...q.shape] as number[]
  let y = q
  for (let k = 0; k < out.length; k++) {
    if (shape[k] !== 1 || out[k] === 1) continue
    let end = k
    while (end + 1 < out.length && shape[end + 1] === 1 && out[end + 1] !== 1) end++
    const n = size(out.slice(k, end + 1))
    const ones = tf.ones([1, n, 1])
    y = tf.matMul(ones, tf.reshape(y, [size(shape.slice(0, k)), 1, size(shape.slice(end + 1))]))
    shape = [...shape.slice(0, k), ...out.slice(k, end + 1), ...shape.slice(end + 1)]
    y = tf.reshape(y, shape)
    k = end
  }
  return y
}

/** Outputs from this many elements on take `spread` on tfjs-cpu (see there). */
const SPREAD_FROM = 4096

/** p ∘ q for Add, Sub and Mul, broadcasting as ONNX does. */
function broadcasting(tf: Tf, f: (p: T, q: T) => T, p: T, q: T): T {
  if (tf.getBackend() !== 'cpu' || (p.rank === q.rank && p.shape.every((d, i) => d === q.shape[i]))) return f(p, q)
  const out = tf.broadcast_util.assertAndGetBroadcastShape(p.shape, q.shape)
  if (size(out) < SPREAD_FROM) return f(p, q)
  return f(spread(tf, p, out), spread(tf, q, out))
}

const unary = (f: (tf: Tf, x: T, a: Attrs) => T): Translation => (tf, [x], a) => [f(tf, x!, a)]
const fold = (f: (tf: Tf, p: T, q: T) => T): Translation => (tf, xs) => [xs.slice(1).reduce((acc, x) => f(tf, acc, x), xs[0]!)]

export const TRANSLATIONS: Record<string, Translation> = {
  Add: fold((tf, p, q) => broadcasting(tf, tf.add, p, q)), Sub: fold((tf, p, q) => broadcasting(tf, tf.sub, p, q)),
  Mul: fold((tf, p, q) => broadcasting(tf, tf.mul, p, q)),
  Div: fold((tf, p, q) => tf.div(p, q)), Pow: fold((tf, p, q) => tf.pow(p, q)),
  Max: fold((tf, p, q) => tf.maximum(p, q)), Min: fold((tf, p, q) => tf.minimum(p, q)), Sum: fold((tf, p, q) => tf.add(p, q)),
  Neg: unary((tf, x) => tf.neg(x)), Exp: unary((tf, x) => tf.exp(x)), Log: unary((tf, x) => tf.log(x)), Sqrt: unary((tf, x) => tf.sqrt(x)),
  Abs: unary((tf, x) => tf.abs(x)), Identity: unary((tf, x) => tf.clone(x)),
  Sigmoid: unary((tf, x) => tf.sigmoid(x)), Tanh: unary((tf, x) => tf.tanh(x)), Relu: unary((tf, x) => tf.relu(x)), Softplus: unary((tf, x) => tf.softplus(x)),
  LeakyRelu: unary((tf, x, a) => tf.leakyRelu(x, num(a, 'alpha', 0.01))),
  // tf.elu has α fixed at 1; otherwise relu(x) + α(e^−relu(−x) − 1), differentiable ops only
  Elu: unary((tf, x, a) => (num(a, 'alpha', 1) === 1 ? tf.elu(x) : tf.add(tf.relu(x), tf.mul(num(a, 'alpha', 1), tf.sub(tf.exp(tf.neg(tf.relu(tf.neg(x)))), 1))))),
  Softmax: unary((tf, x, a) => alongAxis(tf, x, num(a, 'axis', -1), (t) => tf.softmax(t))),
  LogSoftmax: unary((tf, x, a) => alongAxis(tf, x, num(a, 'axis', -1), (t) => tf.logSoftmax(t))),
  MatMul: (tf, [a, b]) => [matmul(tf, a!, b!)],
  Gemm: (tf, [A, B, C], a) => {
    let y = tf.mul(tf.matMul(A!, B!, num(a, 'transA', 0) === 1, num(a, 'transB', 0) === 1), num(a, 'alpha', 1))
    if (C) y = broadcasting(tf, tf.add, y, tf.mul(C, num(a, 'beta', 1)))
    return [y]
  },
  Transpose: unary((tf, x, a) => transpose(tf, x, ints(a, 'perm') ?? [...Array(x.rank).keys()].reverse())),
  Reshape: (tf, [x], a, k) => [tf.reshape(x!, (k['shape'] as number[]).map((d, i) => (d === 0 && a['allowzero'] !== 1 ? x!.shape[i]! : d)))],
  Flatten: unary((tf, x, a) => {
    const ax = norm(num(a, 'axis', 1), x.rank)
    const lead = size(x.shape.slice(0, ax))
    return tf.reshape(x, [lead, -1])
  }),
  Concat: (tf, xs, a) => [tf.concat(xs, norm(num(a, 'axis', 0), xs[0]!.rank))],
  Slice: (tf, [x], _a, k) => {
    const rank = x!.rank
    const [begin, end, strides] = [new Array<number>(rank).fill(0), [...x!.shape], new Array<number>(rank).fill(1)]
    const starts = k['starts'] as number[]
    const axes = (k['axes'] as number[] | undefined) ?? starts.map((_, i) => i)
    axes.forEach((ax0, i) => {
      const ax = norm(ax0, rank)
      const n = x!.shape[ax]!
      const step = (k['steps'] as number[] | undefined)?.[i] ?? 1
      const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + n : v, lo), hi)
      begin[ax] = step > 0 ? clamp(starts[i]!, 0, n) : clamp(starts[i]!, -1, n - 1)
      end[ax] = step > 0 ? clamp((k['ends'] as number[])[i]!, 0, n) : clamp((k['ends'] as number[])[i]!, -1, n - 1)
      strides[ax] = step
    })
    // tf.slice has a gradient, tf.stridedSlice has none: use it whenever every step is 1
    if (strides.every((st) => st === 1)) return [tf.slice(x!, begin, end.map((e, i) => Math.max(0, e - begin[i]!)))]
    return [tf.stridedSlice(x!, begin, end, strides)]
  },
  Gather: (tf, [x], a, k) => {
    const ax = norm(num(a, 'axis', 0), x!.rank)
    const idx = ([k['indices']].flat() as number[]).map((i) => (i < 0 ? i + x!.shape[ax]! : i))
    const shape = k['indicesShape'] as number[]
    const g = tf.gather(x!, tf.tensor1d(idx, 'int32'), ax)
    return [tf.reshape(g, [...x!.shape.slice(0, ax), ...shape, ...x!.shape.slice(ax + 1)])]
  },
  Expand: (tf, [x], _a, k) => {
    const s = k['shape'] as number[]
    const n = Math.max(s.length, x!.rank)
    const xs = [...Array(n - x!.rank).fill(1), ...x!.shape]
    const ss = [...Array(n - s.length).fill(1), ...s]
    return [tf.broadcastTo(x!.reshape(xs), xs.map((d, i) => (d === 1 ? ss[i]! : d)))]
  },
  ReduceSum: (tf, [x], a, k) => [reduce(tf, 'sum', x!, k['axes'] as number[] | undefined, a)],
  ReduceMean: (tf, [x], a) => [reduce(tf, 'mean', x!, ints(a, 'axes'), a)],
  ReduceMax: (tf, [x], a) => [reduce(tf, 'max', x!, ints(a, 'axes'), a)],
  Clip: (tf, [x], _a, k) => [tf.clipByValue(x!, (k['min'] as number | undefined) ?? -Infinity, (k['max'] as number | undefined) ?? Infinity)],
  Pad: (tf, [x], _a, k) => {
    const p = k['pads'] as number[]
    const r = x!.rank
    return [tf.pad(x!, Array.from({ length: r }, (_, i) => [p[i]!, p[i + r]!] as [number, number]), (k['constant_value'] as number | undefined) ?? 0)]
  },
  Conv: lift1d((tf, xs, a) => conv(tf, xs, a)),
  MaxPool: lift1d(unary((tf, x, a) => pool(tf, 'max', x, a))),
  AveragePool: lift1d(unary((tf, x, a) => pool(tf, 'avg', x, a))),
  GlobalAveragePool: unary((tf, x) => tf.mean(x, spatialAxes(x), true)),
  GlobalMaxPool: unary((tf, x) => tf.max(x, spatialAxes(x), true)),
  // inverted dropout in training mode (tf.dropout scales survivors by 1/(1 − rate)); identity otherwise
  Dropout: (tf, [x], a, k) => {
    const rate = (k['ratio'] as number | undefined) ?? 0.5
    if (!k['training_mode'] || rate === 0) return [tf.clone(x!), tf.onesLike(x!)]
    const y = tf.dropout(x!, rate, undefined, num(a, 'seed', 0))
    return [y, tf.cast(tf.notEqual(y, 0), 'float32')]
  },
}

/** Why a node cannot be translated, or true. */
export function tfjsSupports(op: string, a: Attrs = {}): true | string {
  if (!TRANSLATIONS[op]) return `tfjs has no translation of ${op} with ONNX semantics here`
  if (op === 'Pad' && (a['mode'] ?? 'constant') !== 'constant') return `Pad mode ${String(a['mode'])}: tf.mirrorPad has no "edge" mode and differs from ONNX reflect at the border`
  if (op === 'Conv' || op === 'MaxPool' || op === 'AveragePool') {
    const s = ints(a, 'strides') ?? [1, 1]
    const d = ints(a, 'dilations') ?? [1, 1]
    if (s.some((v) => v > 1) && d.some((v) => v > 1)) return `tfjs ${op} cannot combine strides > 1 with dilations > 1`
    if (a['ceil_mode'] === 1) return `${op} ceil_mode is not translated`
    const k = ints(a, 'kernel_shape')
    if (k && k.length === 3) return `3-D ${op} is not translated (tf.conv3d and the 3-D pools take only "same" or "valid" padding)`
  }
  return true
}
