// Gradient clipping, applied to the whole set of gradients of one step.
import type { TensorData } from '../../contract/types.ts'

type Grads = Record<string, TensorData>
const floats = (t: TensorData) => t.data as Float32Array | Float64Array

const mapGrads = (grads: Grads, f: (v: number) => number): Grads =>
  Object.fromEntries(Object.entries(grads).map(([k, t]) => [k, { ...t, data: floats(t).map(f) }]))

// gᵢ ← min(max(gᵢ, −c), c) for every element of every gradient
export const clipByValue = (grads: Grads, c: number): Grads => mapGrads(grads, (v) => Math.min(Math.max(v, -c), c))

/** ‖g‖ over all gradients together, accumulated in float64. */
export function globalNorm(grads: Grads): number {
  let s = 0
  for (const t of Object.values(grads)) for (const v of floats(t)) s += v * v
  return Math.sqrt(s)
}

// g ← g · c / max(‖g‖, c): the direction is kept, the global norm bounded by c
export function clipByGlobalNorm(grads: Grads, c: number): Grads {
  const n = globalNorm(grads)
  return n <= c ? grads : mapGrads(grads, (v) => (v * c) / n)
}
