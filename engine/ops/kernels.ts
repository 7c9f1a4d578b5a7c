// Loops shared by the elementwise ops: map one tensor, or zip two under broadcasting.
// Kept apart from the op definitions so each op file reads as "formula, kernel, gradient".
import { Tensor, alloc, broadcastShapes, broadcastStrides, sameDType, sizeOf, type FloatArray } from '../tensor.ts'

export type Fn1 = (x: number) => number
export type Fn2 = (a: number, b: number) => number

/** out[i] = f(x[i]); `loop`, when given, is f written out as a dedicated loop (fast_loops.ts, as zip's rows). */
export function map(x: Tensor, f: Fn1, loop?: (x: FloatArray, out: FloatArray) => void): Tensor {
  const out = alloc(x.dtype, x.size)
  const d = x.data
  if (loop) loop(d, out)
  else for (let i = 0; i < out.length; i++) out[i] = f(d[i]!)
  return new Tensor(x.dtype, x.shape, out)
}

export const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i])

/** One row of a broadcast binary op: out[o + i] = f(a[pa + i·ia], b[pb + i·ib]) for i < n. */
export type RowLoop = (a: FloatArray, b: FloatArray, out: FloatArray, o: number, pa: number, pb: number, n: number, ia: number, ib: number) => void

/**
 * out[i] = f(a[i'], b[i'']) with numpy broadcasting, a row at a time (forEachRow: a same-shape pair
 * is one row). `rows`, when given, is f written out as a dedicated loop (fast_loops.ts): called
 * through one shared loop, f goes megamorphic and costs ≈ 5× more per element.
 */
export function zip(op: string, a: Tensor, b: Tensor, f: Fn2, rows?: RowLoop): Tensor {
  const dtype = sameDType(op, a, b)
  const shape = sameShape(a.shape, b.shape) ? [...a.shape] : broadcastShapes(a.shape, b.shape)
  const out = alloc(dtype, sizeOf(shape))
  const [ad, bd] = [a.data, b.data]
  const row: RowLoop = rows ?? ((ad, bd, out, o, pa, pb, n, ia, ib) => {
    for (let i = 0; i < n; i++) out[o + i] = f(ad[pa + i * ia]!, bd[pb + i * ib]!)
  })
  forEachRow(shape, [broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape)], (o, p, n, step) => row(ad, bd, out, o, p[0]!, p[1]!, n, step[0]!, step[1]!))
  return new Tensor(dtype, shape, out)
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

/**
 * Visit `shape` in row-major order one innermost row at a time, for operands read through `strides`
 * (0 along a broadcast axis): row(flat index of the row's start, each operand's offset there, row
 * length, each operand's step along the row). Size-1 axes are dropped and neighbouring axes merged
 * where every operand is contiguous across them, so rows are as long as possible and the callback
 * runs once per row, not once per element.
 */
export function forEachRow(shape: readonly number[], strides: readonly (readonly number[])[], row: (flat: number, offsets: number[], n: number, steps: number[]) => void, offsets: readonly number[] = strides.map(() => 0)): void {
  if (shape.includes(0)) return
  const dims: number[] = []
  const st: number[][] = strides.map(() => [])
  for (let k = 0; k < shape.length; k++) {
    if (shape[k] === 1) continue
    const last = dims.length - 1
    if (last >= 0 && strides.every((s, j) => st[j]![last] === s[k]! * shape[k]!)) {
      dims[last]! *= shape[k]!
      st.forEach((s, j) => (s[last] = strides[j]![k]!))
    } else {
      dims.push(shape[k]!)
      st.forEach((s, j) => s.push(strides[j]![k]!))
    }
  }
  const r = dims.length
  const n = r > 0 ? dims[r - 1]! : 1
  const steps = st.map((s) => (r > 0 ? s[r - 1]! : 0))
  const off = [...offsets]
  const idx = new Array<number>(Math.max(0, r - 1)).fill(0)
  const rows = sizeOf(dims) / n
  for (let o = 0; o < rows; o++) {
    row(o * n, off, n, steps)
    for (let k = r - 2; k >= 0; k--) {
      if (++idx[k]! < dims[k]!) {
        for (let j = 0; j < off.length; j++) off[j]! += st[j]![k]!
        break
      }
      idx[k] = 0
      for (let j = 0; j < off.length; j++) off[j]! -= st[j]![k]! * (dims[k]! - 1)
    }
  }
}

/** Copy of `x` read through arbitrary strides into a fresh row-major tensor of `shape`. */
export function gather(x: Tensor, shape: readonly number[], strides: readonly number[], offset = 0): Tensor {
  const out = alloc(x.dtype, sizeOf(shape))
  const d = x.data
  forEachRow(shape, [strides], (o, p, n, step) => {
    const from = p[0]!, by = step[0]!
    for (let i = 0; i < n; i++) out[o + i] = d[from + i * by]!
  }, [offset])
  return new Tensor(x.dtype, shape, out)
}
