// Making and reading contract tensors in specs.
import type { FloatDType, TensorData } from '../contract/types.ts'
import type { Rng } from '../contract/rng.ts'

export const floatArray = (dtype: FloatDType, values: ArrayLike<number>): Float32Array | Float64Array =>
  dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values)

export function td(dtype: FloatDType, shape: number[], values: ArrayLike<number>): TensorData {
  const n = shape.reduce((a, b) => a * b, 1)
  if (values.length !== n) throw new Error(`td: shape [${shape.join(',')}] needs ${n} values, got ${values.length}`)
  return { dtype, shape: [...shape], data: floatArray(dtype, values) }
}

/** int64 operand (shapes, axes, indices) as ONNX wants them. */
export const i64 = (values: number[], shape: number[] = [values.length]): TensorData => ({
  dtype: 'int64',
  shape,
  data: BigInt64Array.from(values.map((v) => BigInt(v))),
})

export const values = (t: TensorData): number[] => Array.from(t.data as ArrayLike<number | bigint>, Number)

export function scalarOf(t: TensorData): number {
  if (t.data.length !== 1) throw new Error(`expected a scalar, got shape [${t.shape.join(',')}]`)
  return Number(t.data[0])
}

export const toF64 = (t: TensorData): TensorData => ({ dtype: 'float64', shape: [...t.shape], data: Float64Array.from(values(t)) })

export function randomTensor(rng: Rng, dtype: FloatDType, shape: number[], lo = -1, hi = 1): TensorData {
  const n = shape.reduce((a, b) => a * b, 1)
  return td(dtype, shape, Array.from({ length: n }, () => rng.uniform(lo, hi)))
}
