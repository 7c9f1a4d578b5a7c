// Making and reading contract tensors in specs.
import type { FloatDType, Graph, TensorData } from '../contract/types.ts'
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

/** A float tensor in another float type (other dtypes unchanged): the explicit cast engines never do silently. */
export const cast = (t: TensorData, dtype: FloatDType): TensorData =>
  (t.dtype === 'float32' || t.dtype === 'float64') && t.dtype !== dtype ? { dtype, shape: [...t.shape], data: floatArray(dtype, t.data as Float32Array) } : t

/** The same graph computing in `dtype`: float inputs and initializers cast (an oracle in float64, ONNX Runtime in float32). */
export const castGraph = (g: Graph, dtype: FloatDType): Graph => ({
  ...g,
  inputs: g.inputs.map((i) => (i.dtype === 'float32' || i.dtype === 'float64' ? { ...i, dtype } : i)),
  initializers: Object.fromEntries(Object.entries(g.initializers ?? {}).map(([k, t]) => [k, cast(t, dtype)])),
})

export const castFeeds = (feeds: Record<string, TensorData>, dtype: FloatDType): Record<string, TensorData> =>
  Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, cast(t, dtype)]))

export function randomTensor(rng: Rng, dtype: FloatDType, shape: number[], lo = -1, hi = 1): TensorData {
  const n = shape.reduce((a, b) => a * b, 1)
  return td(dtype, shape, Array.from({ length: n }, () => rng.uniform(lo, hi)))
}
