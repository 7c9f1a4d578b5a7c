// Ops that move values without arithmetic. Their gradients move the gradient back the same way.
import { apply1, type Attrs, type Primitive, type Var } from '../autograd.ts'
import { Tensor, alloc, broadcastShapes, broadcastStrides, fmtShape, normAxis, sizeOf, stridesOf } from '../tensor.ts'
import { forEachIndex, gather } from './kernels.ts'
import { sumTo } from './reduce.ts'

const ints = (a: Attrs, k: string): number[] | undefined => (Array.isArray(a[k]) ? (a[k] as number[]) : undefined)

/** ONNX Reshape target: 0 copies the input dim (unless allowzero = 1: then it is a 0), −1 is inferred. */
export function reshapeTarget(from: readonly number[], spec: readonly number[], allowzero = false): number[] {
  const out = spec.map((d, i) => (d === 0 && !allowzero ? from[i]! : d))
  const known = out.filter((d) => d !== -1).reduce((n, d) => n * d, 1)
  const free = out.filter((d) => d === -1).length
  if (free > 1) throw new Error(`Reshape: shape ${fmtShape(spec)} has more than one −1`)
  const total = sizeOf(from)
  if (free === 1) {
    if (known === 0 || total % known !== 0) throw new Error(`Reshape: cannot infer −1 reshaping ${fmtShape(from)} to ${fmtShape(spec)}`)
    out[out.indexOf(-1)] = total / known
  }
  if (sizeOf(out) !== total) throw new Error(`Reshape: cannot reshape ${fmtShape(from)} (${total} values) to ${fmtShape(spec)}`)
  return out
}

// y = x viewed with a new shape;  dx = g viewed with x's shape
export const Reshape: Primitive = {
  name: 'Reshape',
  forward: ([x], a) => [x!.reshape(reshapeTarget(x!.shape, ints(a, 'shape') ?? [], a['allowzero'] === 1))],
  backward: ([x], _y, [g]) => [reshape(g!, x!.shape)],
}

// y = x as a 2-D matrix [Π dims before axis, Π dims from axis];  dx = g reshaped back
export const Flatten: Primitive = {
  name: 'Flatten',
  forward: ([x], a) => {
    const axis = typeof a['axis'] === 'number' ? (a['axis'] as number) : 1
    const ax = axis < 0 ? axis + x!.shape.length : axis
    if (ax < 0 || ax > x!.shape.length) throw new Error(`Flatten: axis ${axis} out of range for rank ${x!.shape.length}`)
    return [x!.reshape([sizeOf(x!.shape.slice(0, ax)), sizeOf(x!.shape.slice(ax))])]
  },
  backward: ([x], _y, [g]) => [reshape(g!, x!.shape)],
}

// y = x with axes permuted (default: reversed);  dx = g permuted by the inverse permutation
export const Transpose: Primitive = {
  name: 'Transpose',
  forward: ([x], a) => {
    const perm = ints(a, 'perm') ?? x!.shape.map((_, i) => x!.shape.length - 1 - i)
    if (perm.length !== x!.shape.length || [...perm].sort().some((p, i) => p !== i)) {
      throw new Error(`Transpose: perm ${fmtShape(perm)} is not a permutation of rank ${x!.shape.length}`)
    }
    if (perm.length === 2 && perm[0] === 1) return [transpose2d(x!)]
    const st = stridesOf(x!.shape)
    return [gather(x!, perm.map((p) => x!.shape[p]!), perm.map((p) => st[p]!))]
  },
  backward: ([x], _y, [g], a) => {
    const perm = ints(a, 'perm') ?? x!.shape.map((_, i) => x!.shape.length - 1 - i)
    const inv = perm.map((_, i) => perm.indexOf(i))
    return [transpose(g!, inv)]
  },
}

/** The common case of a matrix transpose, as a plain double loop. */
function transpose2d(x: Tensor): Tensor {
  const [r, c] = x.shape as [number, number]
  const out = alloc(x.dtype, r * c)
  const d = x.data
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = d[i * c + j]!
  return new Tensor(x.dtype, [c, r], out)
}

// y = x broadcast to shape (ONNX Expand: the result is broadcast(x.shape, shape));  dx = g summed back
export const Expand: Primitive = {
  name: 'Expand',
  forward: ([x], a) => {
    const shape = broadcastShapes(x!.shape, ints(a, 'shape') ?? [])
    return [gather(x!, shape, broadcastStrides(x!.shape, shape))]
  },
  backward: ([x], _y, [g]) => [sumTo(g!, x!.shape)],
}

// y = x₁ ⧺ … ⧺ xₙ along axis;  dxᵢ = the slice of g where xᵢ went
export const Concat: Primitive = {
  name: 'Concat',
  forward: (xs, a) => {
    const rank = xs[0]!.shape.length
    const axis = normAxis(a['axis'] as number, rank)
    for (const x of xs) {
      if (x.shape.length !== rank || x.shape.some((d, i) => i !== axis && d !== xs[0]!.shape[i])) {
        throw new Error(`Concat: shapes ${xs.map((t) => fmtShape(t.shape)).join(', ')} differ off axis ${axis}`)
      }
    }
    const shape = [...xs[0]!.shape]
    shape[axis] = xs.reduce((n, x) => n + x.shape[axis]!, 0)
    const out = alloc(xs[0]!.dtype, sizeOf(shape))
    const outer = sizeOf(shape.slice(0, axis))
    const rowOut = sizeOf(shape.slice(axis))
    let at = 0
    for (const x of xs) {
      const row = sizeOf(x.shape.slice(axis))
      for (let o = 0; o < outer; o++) out.set(x.data.subarray(o * row, (o + 1) * row), o * rowOut + at)
      at += row
    }
    return [new Tensor(xs[0]!.dtype, shape, out)]
  },
  backward: (xs, _y, [g], a) => {
    const axis = normAxis(a['axis'] as number, xs[0]!.shape.length)
    let start = 0
    return xs.map((x) => {
      const end = start + x.shape[axis]!
      const piece = slice(g!, [start], [end], [axis])
      start = end
      return piece
    })
  },
}

/** Resolved Slice: per axis a start, a step and a count (ONNX clamping rules applied). */
function slicePlan(shape: readonly number[], a: Attrs): { starts: number[]; steps: number[]; outShape: number[] } {
  const starts = shape.map(() => 0)
  const steps = shape.map(() => 1)
  const outShape = [...shape]
  const s = ints(a, 'starts') ?? []
  const e = ints(a, 'ends') ?? []
  const axes = ints(a, 'axes') ?? s.map((_, i) => i)
  const st = ints(a, 'steps') ?? s.map(() => 1)
  axes.forEach((ax0, i) => {
    const ax = normAxis(ax0, shape.length)
    const n = shape[ax]!
    const step = st[i]!
    if (step === 0) throw new Error('Slice: step 0')
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + n : v, lo), hi)
    const b = step > 0 ? clamp(s[i]!, 0, n) : clamp(s[i]!, -1, n - 1)
    const en = step > 0 ? clamp(e[i]!, 0, n) : clamp(e[i]!, -1, n - 1)
    starts[ax] = b
    steps[ax] = step
    outShape[ax] = Math.max(0, Math.ceil((en - b) / step))
  })
  return { starts, steps, outShape }
}

// y = x[starts:ends:steps] on the given axes;  dx = zeros with g scattered back (SliceGrad)
export const Slice: Primitive = {
  name: 'Slice',
  forward: ([x], a) => {
    const p = slicePlan(x!.shape, a)
    const st = stridesOf(x!.shape)
    const offset = p.starts.reduce((o, b, k) => o + b * st[k]!, 0)
    return [gather(x!, p.outShape, st.map((s, k) => s * p.steps[k]!), offset)]
  },
  backward: ([x], _y, [g], a) => [apply1(SliceGrad, [g!], { ...a, inputShape: [...x!.shape] })],
}

// The adjoint of Slice (not an ONNX op): zeros of the input shape with g written at the sliced places.
// It is linear, so its own gradient is Slice again.
export const SliceGrad: Primitive = {
  name: 'SliceGrad',
  forward: ([g], a) => {
    const shape = ints(a, 'inputShape')!
    const p = slicePlan(shape, a)
    const st = stridesOf(shape)
    const out = alloc(g!.dtype, sizeOf(shape))
    forEachIndex(p.outShape, (i, idx) => {
      let o = 0
      for (let k = 0; k < idx.length; k++) o += (p.starts[k]! + idx[k]! * p.steps[k]!) * st[k]!
      out[o] = out[o]! + g!.data[i]!
    })
    return [new Tensor(g!.dtype, shape, out)]
  },
  backward: (_g, _y, [gg], a) => [slice(gg!, ints(a, 'starts')!, ints(a, 'ends')!, ints(a, 'axes'), ints(a, 'steps'))],
}

// the engine's own reshapes name exact shapes: a 0 is a 0 (allowzero), as for an empty tensor's gradient
export const reshape = (x: Var, shape: readonly number[]): Var => apply1(Reshape, [x], { shape: [...shape], allowzero: 1 })
export const transpose = (x: Var, perm: number[]): Var => apply1(Transpose, [x], { perm })
export const expand = (x: Var, shape: readonly number[]): Var => apply1(Expand, [x], { shape: [...shape] })
export const slice = (x: Var, starts: number[], ends: number[], axes?: number[], steps?: number[]): Var =>
  apply1(Slice, [x], { starts, ends, ...(axes ? { axes } : {}), ...(steps ? { steps } : {}) })
export const concat = (xs: Var[], axis: number): Var => apply1(Concat, xs, { axis })
