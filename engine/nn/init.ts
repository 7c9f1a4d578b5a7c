// Weight initializers, seeded. Fans follow the usual convention: a dense weight [in, out] has
// fanIn = in, fanOut = out; a conv weight [M, C, kh, kw] has fanIn = C·kh·kw, fanOut = M·kh·kw.
import type { FloatDType, InitSpec, TensorData } from '../../contract/types.ts'
import { Rng } from '../../contract/rng.ts'

export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! }
  if (shape.length === 4) {
    const field = shape[2]! * shape[3]!
    return { fanIn: shape[1]! * field, fanOut: shape[0]! * field }
  }
  const n = shape.reduce((a, b) => a * b, 1)
  return { fanIn: n, fanOut: n }
}

type Draw = (rng: Rng, fanIn: number, fanOut: number, p: Record<string, number>) => number

export const INITIALIZERS: Record<InitSpec['rule'], Draw> = {
  // w ~ N(0, std²), std default 0.01
  gaussian: (rng, _i, _o, p) => rng.normal(0, p['std'] ?? 0.01),
  // w ~ U(−a, a), a default 0.05
  uniform: (rng, _i, _o, p) => rng.uniform(-(p['limit'] ?? 0.05), p['limit'] ?? 0.05),
  // w ~ N(0, 2/(fanIn + fanOut))   (Glorot & Bengio 2010)
  'glorot-normal': (rng, i, o) => rng.normal(0, Math.sqrt(2 / (i + o))),
  // w ~ U(−√(6/(fanIn + fanOut)), +√(…)), variance 2/(fanIn + fanOut)
  'glorot-uniform': (rng, i, o) => rng.uniform(-Math.sqrt(6 / (i + o)), Math.sqrt(6 / (i + o))),
  // w ~ N(0, 2/fanIn)   (He et al. 2015, for ReLU)
  'he-normal': (rng, i) => rng.normal(0, Math.sqrt(2 / i)),
  // w ~ U(−√(6/fanIn), +√(6/fanIn)), variance 2/fanIn
  'he-uniform': (rng, i) => rng.uniform(-Math.sqrt(6 / i), Math.sqrt(6 / i)),
  // w = 0 with probability sparsity (default 0.9), else N(0, std²) with std default 0.01
  sparse: (rng, _i, _o, p) => (rng.next() < (p['sparsity'] ?? 0.9) ? 0 : rng.normal(0, p['std'] ?? 0.01)),
}

export function initialize(spec: InitSpec, dtype: FloatDType = 'float64', draw: Draw = INITIALIZERS[spec.rule]): TensorData {
  if (!draw) throw new Error(`unknown initializer "${spec.rule}" (have ${Object.keys(INITIALIZERS).join(', ')})`)
  const rng = new Rng(spec.seed)
  const { fanIn, fanOut } = fans(spec.shape)
  const n = spec.shape.reduce((a, b) => a * b, 1)
  const params = spec.params ?? {}
  const data = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n)
  for (let i = 0; i < n; i++) data[i] = draw(rng, fanIn, fanOut, params)
  return { dtype, shape: [...spec.shape], data }
}
