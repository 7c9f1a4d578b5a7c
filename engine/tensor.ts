// Tensor: a shape, a float dtype and a flat row-major typed array. Nothing else.
import type { FloatDType, TensorData } from '../contract/types.ts'

export type FloatArray = Float32Array | Float64Array

export class Tensor {
  readonly size: number
  constructor(
    readonly dtype: FloatDType,
    readonly shape: readonly number[],
    readonly data: FloatArray,
  ) {
    this.size = sizeOf(shape)
    if (data.length !== this.size) {
      throw new Error(`tensor of shape [${shape.join(',')}] needs ${this.size} values, got ${data.length}`)
    }
  }

  static zeros(dtype: FloatDType, shape: readonly number[]): Tensor {
    return new Tensor(dtype, shape, alloc(dtype, sizeOf(shape)))
  }

  static full(dtype: FloatDType, shape: readonly number[], value: number): Tensor {
    return new Tensor(dtype, shape, alloc(dtype, sizeOf(shape)).fill(value))
  }

  static scalar(dtype: FloatDType, value: number): Tensor {
    return Tensor.full(dtype, [], value)
  }

  /**
   * Contract data as a Tensor of `dtype` (default: its own float dtype). Same dtype: the caller's
   * array is used as is (no kernel ever writes into an input); otherwise one converting copy.
   */
  static from(t: TensorData, dtype?: FloatDType): Tensor {
    if (t.dtype !== 'float32' && t.dtype !== 'float64') throw new Error(`reference engine computes in float32/float64, got ${t.dtype}`)
    const to = dtype ?? t.dtype
    if (to === t.dtype && (to === 'float32' ? t.data instanceof Float32Array : t.data instanceof Float64Array)) {
      return new Tensor(to, [...t.shape], t.data as FloatArray)
    }
    // the typed-array constructor copies and converts in one native pass (`.from` iterates in JS)
    const data = to === 'float32' ? new Float32Array(t.data as Float32Array) : new Float64Array(t.data as Float64Array)
    return new Tensor(to, [...t.shape], data)
  }

  /** Same values in another dtype (a copy). */
  cast(dtype: FloatDType): Tensor {
    const out = alloc(dtype, this.size)
    out.set(this.data)
    return new Tensor(dtype, this.shape, out)
  }

  reshape(shape: readonly number[]): Tensor {
    return new Tensor(this.dtype, shape, this.data)
  }

  toData(): TensorData {
    return { dtype: this.dtype, shape: [...this.shape], data: this.data }
  }

  item(): number {
    if (this.size !== 1) throw new Error(`item() needs one value, tensor has shape [${this.shape.join(',')}]`)
    return this.data[0]!
  }
}

export function alloc(dtype: FloatDType, n: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n)
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1
  for (const d of shape) n *= d
  return n
}

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length)
  let acc = 1
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc
    acc *= shape[i]!
  }
  return s
}

export const fmtShape = (shape: readonly number[]): string => `[${shape.join(',')}]`

/** Numpy/ONNX multidirectional broadcasting of two shapes; throws naming both shapes. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length)
  const out = new Array<number>(n)
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1
    const db = b[b.length - n + i] ?? 1
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`shapes ${fmtShape(a)} and ${fmtShape(b)} do not broadcast (axis ${i}: ${da} vs ${db})`)
    }
    out[i] = da === 1 ? db : da
  }
  return out
}

/** Strides to read a tensor of `shape` as if it had `target` shape (0 on broadcast axes). */
export function broadcastStrides(shape: readonly number[], target: readonly number[]): number[] {
  const own = stridesOf(shape)
  const off = target.length - shape.length
  return target.map((_, i) => (i < off || shape[i - off] === 1 ? 0 : own[i - off]!))
}

/** Normalise a possibly negative axis for a tensor of rank `rank`. */
export function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis
  if (a < 0 || a >= Math.max(rank, 1)) throw new Error(`axis ${axis} out of range for rank ${rank}`)
  return a
}

/** Both operands must share a dtype: mixing float32 and float64 silently is a classic bug. */
export function sameDType(op: string, ...ts: Tensor[]): FloatDType {
  const d = ts[0]!.dtype
  for (const t of ts) if (t.dtype !== d) throw new Error(`${op}: mixed dtypes ${ts.map((x) => x.dtype).join(', ')}`)
  return d
}
