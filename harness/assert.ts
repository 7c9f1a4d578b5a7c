// Every numeric comparison of the suite: the tolerance policy and the one message pattern
//   `<what>[i,j] = 0.4132 but <oracle> gives 0.4107 (|Δ| 2.5e-3 > tol 1.1e-4); replay: …`
import type { FloatDType, TensorData } from '../contract/types.ts'
import { values } from './tensors.ts'

/** A claim's assertion failed: the claim is refuted on this engine, with this message as evidence. */
export class Mismatch extends Error {
  override name = 'Mismatch'
}

export interface Tolerance {
  rtol: number
  atol: number
}

/**
 * float64 vs a float64 closed form: rtol 1e-10. float32 vs a float64 reference: rtol 1e-4, atol 1e-5.
 * Both widened by √K for reductions of length K (rounding errors add like a random walk).
 * Gradients checked against float64 central differences: rtol 1e-5, atol 1e-7 (PyTorch gradcheck).
 */
export function tolerance(dtype: FloatDType, opts: { reduction?: number; gradient?: boolean } = {}): Tolerance {
  const widen = Math.sqrt(Math.max(1, opts.reduction ?? 1))
  if (opts.gradient && dtype === 'float64') return { rtol: 1e-5 * widen, atol: 1e-7 * widen }
  return dtype === 'float64' ? { rtol: 1e-10 * widen, atol: 1e-12 * widen } : { rtol: 1e-4 * widen, atol: 1e-5 * widen }
}

const sig = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v))
const exp2 = (v: number) => v.toExponential(1)

function unflatten(i: number, shape: readonly number[]): string {
  if (shape.length === 0) return ''
  const idx: number[] = []
  for (let k = shape.length - 1; k >= 0; k--) {
    idx.unshift(i % shape[k]!)
    i = Math.floor(i / shape[k]!)
  }
  return `[${idx.join(',')}]`
}

interface CloseOpts {
  what: string
  oracle: string
  tol: Tolerance
  replay: string
}

/** |a − b| ≤ atol + rtol·|b| elementwise; on failure names the worst element and how many failed. */
type Numeric = TensorData | number | number[]
const flatOf = (v: Numeric): number[] => (typeof v === 'number' ? [v] : Array.isArray(v) ? v : values(v))
const shapeOf = (v: Numeric): number[] => (typeof v === 'number' ? [] : Array.isArray(v) ? [v.length] : v.shape)

export function expectClose(actual: Numeric, expected: Numeric, o: CloseOpts): void {
  const a = flatOf(actual)
  const b = flatOf(expected)
  const shape = shapeOf(expected)
  const aShape = shapeOf(actual)
  if (a.length !== b.length || (typeof actual !== 'number' && typeof expected !== 'number' && aShape.join() !== shape.join())) {
    throw new Mismatch(`${o.what} has shape [${aShape.join(',')}] but ${o.oracle} gives shape [${shape.join(',')}]; replay: ${o.replay}`)
  }
  let worst = -1
  let worstExcess = 0
  let failed = 0
  for (let i = 0; i < a.length; i++) {
    const bound = o.tol.atol + o.tol.rtol * Math.abs(b[i]!)
    const d = Math.abs(a[i]! - b[i]!)
    const bad = Number.isNaN(a[i]!) !== Number.isNaN(b[i]!) || (Number.isFinite(b[i]!) && !(d <= bound)) || (!Number.isFinite(b[i]!) && !Object.is(a[i], b[i]))
    if (!bad) continue
    failed++
    const excess = Number.isFinite(d) ? d / bound : Infinity
    if (worst < 0 || excess > worstExcess) [worst, worstExcess] = [i, excess]
  }
  if (worst < 0) return
  const av = a[worst]!
  const bv = b[worst]!
  const bound = o.tol.atol + o.tol.rtol * Math.abs(bv)
  const diff = Number.isFinite(av) ? `|Δ| ${exp2(Math.abs(av - bv))} > tol ${exp2(bound)}` : `${av} is not finite`
  const more = failed > 1 ? `; ${failed} of ${a.length} elements differ` : ''
  throw new Mismatch(`${o.what}${unflatten(worst, shape)} = ${sig(av)} but ${o.oracle} gives ${sig(bv)} (${diff})${more}; replay: ${o.replay}`)
}

/** The largest finite |a − b| over the elements (for the evidence; the verdict is expectClose's). */
export function maxAbsDiff(actual: Numeric, expected: Numeric): number {
  const [a, b] = [flatOf(actual), flatOf(expected)]
  return a.reduce((m, v, i) => (Number.isFinite(v - b[i]!) ? Math.max(m, Math.abs(v - b[i]!)) : m), 0)
}

/**
 * The K of the √K widening for a whole graph, when the reductions inside it are not known: the
 * largest input's elements per output element (exact for a full reduction; a contraction's length,
 * roughly, for products).
 */
export const reductionLength = (inputs: readonly TensorData[], outputs: readonly TensorData[]): number =>
  Math.max(1, ...inputs.map((t) => t.data.length / Math.max(1, outputs.reduce((n, o) => n + o.data.length, 0))))

/** A non-numeric property: `message` says what was expected and what happened. */
export function expectThat(cond: boolean, message: string, replay: string): void {
  if (!cond) throw new Mismatch(`${message}; replay: ${replay}`)
}
