// Dedicated loops for the hottest elementwise ops and for summing (a fast path, kept apart from the
// op definitions in binary.ts, unary.ts, activation.ts and reduce.ts, which stay the formulas of
// record). The shared loop in zip() calls its f through one call site for every op, so V8 stops
// inlining it and each element costs ≈ 10 ns instead of ≈ 2: these loops are the same formulas
// written out, one call site each, and for Relu and Sigmoid the bit tricks and WebAssembly kernels
// behind them. fast_loops.test.ts checks them against the formulas (float32 σ within ULPS).
import type { FloatArray } from '../tensor.ts'
import { elementwiseWasm } from '../wasm/elementwise.ts'
import { LITTLE_ENDIAN, reluInto, sigmoid32 } from './float_bits.ts'
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
  // WebAssembly SIMD on large float32 tensors, else branch-free over the float bits
  Relu: (x, out) => {
    if (elementwiseWasm('relu', x, out)) return
    if (LITTLE_ENDIAN) return reluInto(x, out)
    for (let i = 0; i < x.length; i++) out[i] = x[i]! > 0 || Number.isNaN(x[i]!) ? x[i]! : 0
  },
  // float32: WebAssembly SIMD on large tensors, else the polynomial of sigmoid32; float64: the formula
  Sigmoid: (x, out) => {
    if (elementwiseWasm('sigmoid', x, out)) return
    if (x instanceof Float32Array && LITTLE_ENDIAN) return sigmoid32(x, out as Float32Array)
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!
      const e = Math.exp(v < 0 ? v : -v) // e^−|x| never overflows
      out[i] = v >= 0 ? 1 / (1 + e) : e / (1 + e)
    }
  },
}

/** The loops that round differently from their formula, and by how many float32 ulps at most. */
export const ULPS: Record<string, number> = { Sigmoid: 4 }

/** acc[pa + i·ia] += x[px + i·ix] for i < n: one row of a sum (ia = 0 along the summed axis). */
export const SUM_ROW = (x: FloatArray, acc: FloatArray, px: number, pa: number, n: number, ix: number, ia: number): void => {
  for (let i = 0; i < n; i++) acc[pa + i * ia] = acc[pa + i * ia]! + x[px + i * ix]!
}
