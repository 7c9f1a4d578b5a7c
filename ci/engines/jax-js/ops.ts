// The IR's ops as jax-js calls, one line each where the library has the op; composition only where
// ONNX's op is a composition of jax-js's (Gemm, Slice by index lists, Flatten as a reshape). What the
// library lacks (recurrent layers, dropout, padded or dilated pools, edge/reflect padding) is declined
// in `unsupported` with the reason, never written here: the gate must test jax-js, not this file.
//
// jax-js moves arrays: every op consumes its operands. The interpreter (jax-js.ts) hands each op
// operands it may consume (`.ref` taken for it); an op that uses one twice takes its own `.ref`.
import { lax, nn, numpy as np, type Array as Arr } from '@jax-js/jax'
import type { Node } from '../../../contract/types.ts'

export type Attrs = Record<string, unknown>
type Op = (x: Arr[], a: Attrs) => Arr | Arr[]

const num = (a: Attrs, k: string, d: number) => (typeof a[k] === 'number' ? (a[k] as number) : d)
const ints = (a: Attrs, k: string) => a[k] as number[] | undefined
const axisOf = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis)
const prod = (s: number[]) => s.reduce((p, d) => p * d, 1)
const i32 = (v: number[]) => np.array(Int32Array.from(v), { dtype: np.int32 })

/** The indices ONNX's Slice takes along one axis of size d (clamped starts and ends, any nonzero step). */
function sliceIndices(d: number, start: number, end: number, step: number): number[] {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + d : v, lo), hi)
  const [s, e] = step > 0 ? [clamp(start, 0, d), clamp(end, 0, d)] : [clamp(start, -1, d - 1), clamp(end, -1, d - 1)]
  const out: number[] = []
  for (let i = s; step > 0 ? i < e : i > e; i += step) out.push(i)
  return out
}

function reduce(fn: typeof np.sum, x: Arr, axes: number[] | undefined, a: Attrs): Arr {
  const keepdims = num(a, 'keepdims', 1) === 1
  if (!axes || axes.length === 0) return num(a, 'noop_with_empty_axes', 0) === 1 ? x : fn(x, null, { keepdims })
  return fn(x, axes.map((ax) => axisOf(ax, x.ndim)), { keepdims })
}

export const OPS: Record<string, Op> = {
  Add: ([a, b]) => np.add(a!, b!),
  Sub: ([a, b]) => np.subtract(a!, b!),
  Mul: ([a, b]) => np.multiply(a!, b!),
  Div: ([a, b]) => np.divide(a!, b!),
  Pow: ([a, b]) => np.power(a!, b!),
  Max: (xs) => xs.reduce((p, q) => np.maximum(p, q)),
  Min: (xs) => xs.reduce((p, q) => np.minimum(p, q)),
  Sum: (xs) => xs.reduce((p, q) => np.add(p, q)),
  Neg: ([x]) => np.negative(x!),
  Exp: ([x]) => np.exp(x!),
  Log: ([x]) => np.log(x!),
  Sqrt: ([x]) => np.sqrt(x!),
  Abs: ([x]) => np.abs(x!),
  Identity: ([x]) => x!,
  Sigmoid: ([x]) => nn.sigmoid(x!),
  Tanh: ([x]) => np.tanh(x!),
  Relu: ([x]) => nn.relu(x!),
  LeakyRelu: ([x], a) => nn.leakyRelu(x!, num(a, 'alpha', 0.01)),
  Elu: ([x], a) => nn.elu(x!, num(a, 'alpha', 1)),
  Softplus: ([x]) => nn.softplus(x!),
  Softmax: ([x], a) => nn.softmax(x!, num(a, 'axis', -1)),
  LogSoftmax: ([x], a) => nn.logSoftmax(x!, num(a, 'axis', -1)),
  Clip: ([x], a) => np.clip(x!, (a['min'] as number | undefined) ?? -Infinity, (a['max'] as number | undefined) ?? Infinity),
  MatMul: ([a, b]) => np.matmul(a!, b!),
  // Y = alpha·A′·B′ + beta·C
  Gemm: ([A, B, C], a) => {
    const y = np.matmul(num(a, 'transA', 0) ? np.transpose(A!) : A!, num(a, 'transB', 0) ? np.transpose(B!) : B!).mul(num(a, 'alpha', 1))
    return C ? np.add(y, C.mul(num(a, 'beta', 1))) : y
  },
  Transpose: ([x], a) => np.transpose(x!, ints(a, 'perm')),
  Reshape: ([x], a) => {
    const shape = (a['shape'] as number[]).map((d, i) => (d === 0 && num(a, 'allowzero', 0) === 0 ? x!.shape[i]! : d))
    return np.reshape(x!, shape)
  },
  Flatten: ([x], a) => {
    const axis = axisOf(num(a, 'axis', 1), x!.ndim)
    return np.reshape(x!, [prod(x!.shape.slice(0, axis)), prod(x!.shape.slice(axis))])
  },
  Expand: ([x], a) => np.broadcastTo(x!, np.broadcastShapes(x!.shape, a['shape'] as number[])),
  Concat: (xs, a) => np.concatenate(xs, axisOf(num(a, 'axis', 0), xs[0]!.ndim)),
  Slice: ([x], a) => {
    const starts = a['starts'] as number[]
    const axes = (a['axes'] as number[] | undefined) ?? starts.map((_, i) => i)
    const steps = (a['steps'] as number[] | undefined) ?? starts.map(() => 1)
    let y = x!
    axes.forEach((ax0, k) => {
      const ax = axisOf(ax0, y.ndim)
      y = np.take(y, i32(sliceIndices(y.shape[ax]!, starts[k]!, (a['ends'] as number[])[k]!, steps[k]!)), ax)
    })
    return y
  },
  Gather: ([x], a) => {
    const axis = axisOf(num(a, 'axis', 0), x!.ndim)
    const idx = [a['indices'] as number[] | number].flat()
    const d = x!.shape[axis]!
    const shape = [...x!.shape.slice(0, axis), ...((a['indicesShape'] as number[] | undefined) ?? []), ...x!.shape.slice(axis + 1)]
    // jax-js's take neither wraps negative indices nor checks bounds: ONNX's range is checked by validateGraph
    return np.reshape(np.take(x!, i32(idx.map((i) => (i < 0 ? i + d : i))), axis), shape)
  },
  // constant padding only (jax-js pads with zeros): pad(x − c) + c
  Pad: ([x], a) => {
    const pads = a['pads'] as number[]
    const r = x!.ndim
    const c = num(a, 'constant_value', 0)
    const widths = Array.from({ length: r }, (_, i) => [pads[i]!, pads[i + r]!] as [number, number])
    return c === 0 ? np.pad(x!, widths) : np.pad(x!.sub(c), widths).add(c)
  },
  ReduceSum: ([x], a) => reduce(np.sum, x!, a['axes'] as number[] | undefined, a),
  ReduceMean: ([x], a) => reduce(np.mean, x!, ints(a, 'axes'), a),
  ReduceMax: ([x], a) => reduce(np.max, x!, ints(a, 'axes'), a),
  Conv: ([x, w, b], a) => {
    const n = x!.ndim - 2
    const strides = ints(a, 'strides') ?? new Array<number>(n).fill(1)
    const pads = ints(a, 'pads') ?? new Array<number>(2 * n).fill(0)
    const auto = (a['auto_pad'] as string | undefined) ?? 'NOTSET'
    const padding = auto === 'SAME_UPPER' ? 'SAME' : auto === 'SAME_LOWER' ? 'SAME_LOWER' : auto === 'VALID' ? 'VALID' : Array.from({ length: n }, (_, i) => [pads[i]!, pads[i + n]!] as [number, number])
    const y = lax.convGeneralDilated(x!, w!, strides, padding, { rhsDilation: ints(a, 'dilations') ?? new Array<number>(n).fill(1), featureGroupCount: num(a, 'group', 1) })
    return b ? np.add(y, np.reshape(b, [-1, ...new Array<number>(n).fill(1)])) : y
  },
  MaxPool: ([x], a) => lax.reduceWindow(x!, np.max, a['kernel_shape'] as number[], ints(a, 'strides')),
  AveragePool: ([x], a) => lax.reduceWindow(x!, np.mean, a['kernel_shape'] as number[], ints(a, 'strides')),
  GlobalAveragePool: ([x]) => np.mean(x!, Array.from({ length: x!.ndim - 2 }, (_, i) => i + 2), { keepdims: true }),
  GlobalMaxPool: ([x]) => np.max(x!, Array.from({ length: x!.ndim - 2 }, (_, i) => i + 2), { keepdims: true }),
  Dropout: ([x]) => x!,
}

/** Why jax-js cannot run this node, or undefined when OPS maps it. */
export function unsupported(node: Node): string | undefined {
  const a = (node.attrs ?? {}) as Attrs
  if (['RNN', 'LSTM', 'GRU'].includes(node.op)) return `jax-js has no recurrent layers (no ${node.op})`
  if (!OPS[node.op]) return `jax-js has no ${node.op}`
  if (node.op === 'Dropout' && (node.inputs.length > 2 || node.outputs.length > 1)) return 'jax-js ships no dropout: only an inference-mode Dropout (identity, no training_mode operand, no mask) is mapped'
  if (node.op === 'Pad' && a['mode'] !== undefined && a['mode'] !== 'constant') return `jax-js pads with constants only (np.pad has no ${String(a['mode'])} mode)`
  if (node.op === 'MaxPool' || node.op === 'AveragePool') {
    if ((ints(a, 'pads') ?? []).some((p) => p !== 0)) return `jax-js's lax.reduceWindow has no padding (${node.op} with pads)`
    if (num(a, 'ceil_mode', 0) === 1) return `jax-js's lax.reduceWindow has no ceil mode`
    if ((ints(a, 'dilations') ?? []).some((d) => d !== 1)) return `jax-js's lax.reduceWindow has no dilations`
    if (a['auto_pad'] !== undefined && !['NOTSET', 'VALID'].includes(a['auto_pad'] as string)) return `jax-js's lax.reduceWindow has no padding (auto_pad ${String(a['auto_pad'])})`
    if (node.outputs.length > 1) return `jax-js's reduceWindow gives no argmax indices (MaxPool's second output)`
  }
  return undefined
}
