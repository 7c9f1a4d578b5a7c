// Loops shared by the elementwise ops: map one tensor, or zip two under broadcasting.
// Kept apart from the op definitions so each op file reads as "formula, kernel, gradient".
import { Tensor, alloc, broadcastShapes, broadcastStrides, sameDType, sizeOf } from '../tensor.ts'

export type Fn1 = (x: number) => number
export type Fn2 = (a: number, b: number) => number

export function map(x: Tensor, f: Fn1): Tensor {
  const out = alloc(x.dtype, x.size)
  const d = x.data
  for (let i = 0; i < out.length; i++) out[i] = f(d[i]!)
  return new Tensor(x.dtype, x.shape, out)
}

export const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i])

/** out[i] = f(a[i'], b[i'']) with numpy broadcasting. */
export function zip(op: string, a: Tensor, b: Tensor, f: Fn2): Tensor {
  const dtype = sameDType(op, a, b)
  const ad = a.data
  const bd = b.data
  if (sameShape(a.shape, b.shape)) {
    const out = alloc(dtype, a.size)
    for (let i = 0; i < out.length; i++) out[i] = f(ad[i]!, bd[i]!)
    return new Tensor(dtype, a.shape, out)
  }
  const shape = broadcastShapes(a.shape, b.shape)
  const out = alloc(dtype, sizeOf(shape))
  if (b.size === 1 && shape.length === a.shape.length) {
    const s = bd[0]!
    for (let i = 0; i < out.length; i++) out[i] = f(ad[i]!, s)
    return new Tensor(dtype, shape, out)
  }
  if (a.size === 1 && shape.length === b.shape.length) {
    const s = ad[0]!
    for (let i = 0; i < out.length; i++) out[i] = f(s, bd[i]!)
    return new Tensor(dtype, shape, out)
  }
  // b repeats along the leading axes of a (a bias row, a per-channel vector…): index it modulo its size
  if (shape.length === a.shape.length && isSuffix(b.shape, a.shape)) {
    const m = b.size
    for (let i = 0; i < out.length; i++) out[i] = f(ad[i]!, bd[i % m]!)
    return new Tensor(dtype, shape, out)
  }
  if (shape.length === b.shape.length && isSuffix(a.shape, b.shape)) {
    const m = a.size
    for (let i = 0; i < out.length; i++) out[i] = f(ad[i % m]!, bd[i]!)
    return new Tensor(dtype, shape, out)
  }
  const sa = broadcastStrides(a.shape, shape)
  const sb = broadcastStrides(b.shape, shape)
  forEachIndex(shape, (i, idx) => {
    let oa = 0
    let ob = 0
    for (let k = 0; k < idx.length; k++) {
      oa += idx[k]! * sa[k]!
      ob += idx[k]! * sb[k]!
    }
    out[i] = f(ad[oa]!, bd[ob]!)
  })
  return new Tensor(dtype, shape, out)
}

/** `small` equals the trailing dims of `big` once its leading 1s are dropped (a pure repeat). */
function isSuffix(small: readonly number[], big: readonly number[]): boolean {
  let k = 0
  while (k < small.length && small[k] === 1) k++
  const tail = small.slice(k)
  return tail.every((d, i) => d === big[big.length - tail.length + i])
}

/** Visit every multi-index of `shape` in row-major order (the index array is reused). */
export function forEachIndex(shape: readonly number[], fn: (flat: number, idx: number[]) => void): void {
  const n = sizeOf(shape)
  const idx = new Array<number>(shape.length).fill(0)
  for (let i = 0; i < n; i++) {
    fn(i, idx)
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++idx[k]! < shape[k]!) break
      idx[k] = 0
    }
  }
}

/** Copy of `x` read through arbitrary strides into a fresh row-major tensor of `shape`. */
export function gather(x: Tensor, shape: readonly number[], strides: readonly number[], offset = 0): Tensor {
  const out = alloc(x.dtype, sizeOf(shape))
  const d = x.data
  forEachIndex(shape, (i, idx) => {
    let o = offset
    for (let k = 0; k < idx.length; k++) o += idx[k]! * strides[k]!
    out[i] = d[o]!
  })
  return new Tensor(x.dtype, shape, out)
}
