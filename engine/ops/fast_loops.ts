// Dedicated loops for the hottest elementwise ops and for summing (a fast path, kept apart from the
// op definitions in binary.ts, unary.ts and reduce.ts, which stay the formulas of record). The shared
// loop in zip() calls its f through one call site for every op, so V8 stops inlining it and each
// element costs ≈ 10 ns instead of ≈ 2: these loops are the same formulas written out, one call site
// each. fast_loops.test.ts checks them against the formulas.
import type { FloatArray } from '../tensor.ts'
import type { RowLoop } from './kernels.ts'

export const ROWS: Record<string, RowLoop> = {
  Add: (a, b, out, o, pa, pb, n, ia, ib) => {
    for (let i = 0; i < n; i++) out[o + i] = a[pa + i * ia]! + b[pb + i * ib]!
  },
  Sub: (a, b, out, o, pa, pb, n, ia, ib) => {
    for (let i = 0; i < n; i++) out[o + i] = a[pa + i * ia]! - b[pb + i * ib]!
  },
  Mul: (a, b, out, o, pa, pb, n, ia, ib) => {
    for (let i = 0; i < n; i++) out[o + i] = a[pa + i * ia]! * b[pb + i * ib]!
  },
  Div: (a, b, out, o, pa, pb, n, ia, ib) => {
    for (let i = 0; i < n; i++) out[o + i] = a[pa + i * ia]! / b[pb + i * ib]!
  },
}

/** out[i] = f(x[i]) for the unary ops of the same name. */
export const MAPS: Record<string, (x: FloatArray, out: FloatArray) => void> = {
  Neg: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = -x[i]!
  },
  Exp: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]!)
  },
  Log: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]!)
  },
  Tanh: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]!)
  },
  Softplus: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.max(x[i]!, 0) + Math.log1p(Math.exp(-Math.abs(x[i]!)))
  },
}

/** acc[pa + i·ia] += x[px + i·ix] for i < n: one row of a sum (ia = 0 along the summed axis). */
export const SUM_ROW = (x: FloatArray, acc: FloatArray, px: number, pa: number, n: number, ix: number, ia: number): void => {
  for (let i = 0; i < n; i++) acc[pa + i * ia] = acc[pa + i * ia]! + x[px + i * ix]!
}
