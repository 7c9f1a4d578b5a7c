// Float64 central differences: the gradient oracle that shares no code with any engine's autograd.
// Full Jacobian for small inputs; for large ones the random-projection mode compares vᵀJu, which
// needs two evaluations per direction u instead of two per input element.
import type { Compiled, Engine, Graph, TensorData } from '../contract/types.ts'
import type { Rng } from '../contract/rng.ts'

export type Fn = (inputs: Record<string, Float64Array>) => Promise<Float64Array> | Float64Array
export const EPS = 1e-6

const shift = (at: Record<string, Float64Array>, name: string, i: number, h: number) => {
  const copy = at[name]!.slice()
  copy[i] = copy[i]! + h
  return { ...at, [name]: copy }
}

/** J[o][k] = ∂f_o/∂x_k over the concatenation of the `wrt` inputs, by (f(x+h) − f(x−h)) / 2h. */
export async function jacobian(f: Fn, at: Record<string, Float64Array>, wrt: string[], eps = EPS): Promise<number[][]> {
  const cols: Float64Array[] = []
  for (const name of wrt) {
    for (let i = 0; i < at[name]!.length; i++) {
      const [p, m] = [await f(shift(at, name, i, eps)), await f(shift(at, name, i, -eps))]
      cols.push(p.map((v, o) => (v - m[o]!) / (2 * eps)))
    }
  }
  const outs = cols[0]?.length ?? 0
  return Array.from({ length: outs }, (_, o) => cols.map((c) => c[o]!))
}

/** ∇f of a scalar f, per input name. */
export async function gradient(f: Fn, at: Record<string, Float64Array>, wrt: string[], eps = EPS): Promise<Record<string, Float64Array>> {
  const J = await jacobian(f, at, wrt, eps)
  const row = J[0]!
  let k = 0
  return Object.fromEntries(wrt.map((n) => [n, Float64Array.from(at[n]!, () => row[k++]!)]))
}

/** vᵀJu by one central difference along u: (v·f(x+hu) − v·f(x−hu)) / 2h. */
export async function projected(f: Fn, at: Record<string, Float64Array>, u: Record<string, Float64Array>, v: Float64Array, eps = EPS): Promise<number> {
  const move = (s: number) => Object.fromEntries(Object.entries(at).map(([n, x]) => [n, u[n] ? x.map((xi, i) => xi + s * eps * u[n]![i]!) : x]))
  const [p, m] = [await f(move(1)), await f(move(-1))]
  let d = 0
  for (let o = 0; o < v.length; o++) d += v[o]! * (p[o]! - m[o]!)
  return d / (2 * eps)
}

/** Random unit-scale directions u (per input) and v (per output). */
export function randomDirections(rng: Rng, at: Record<string, Float64Array>, wrt: string[], outputs: number) {
  const u = Object.fromEntries(wrt.map((n) => [n, Float64Array.from(at[n]!, () => rng.normal())]))
  return { u, v: Float64Array.from({ length: outputs }, () => rng.normal()) }
}

/** A Graph as a function of some of its inputs, evaluated in float64 by `engine`. */
export async function graphFunction(engine: Engine, graph: Graph, output: string, fixed: Record<string, TensorData>): Promise<{ f: Fn; compiled: Compiled }> {
  const compiled = await engine.compile(graph)
  const f: Fn = async (inputs) => {
    const feeds: Record<string, TensorData> = { ...fixed }
    for (const [n, x] of Object.entries(inputs)) feeds[n] = { dtype: 'float64', shape: fixed[n]?.shape ?? graph.inputs.find((i) => i.name === n)!.shape as number[], data: x }
    const out = await compiled.run(feeds)
    return Float64Array.from(out[output]!.data as ArrayLike<number>)
  }
  return { f, compiled }
}
