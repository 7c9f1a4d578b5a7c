// out[m×n] = a[m×k]·b[k×n] (row-major, at the given offsets), the one matrix-product kernel behind
// MatMul, Gemm and Conv. A naive triple loop reaches ~1 GFLOP/s in JS; this one packs panels of
// A (4 rows) and B (4 columns) contiguously, k-blocked to stay in cache, and keeps a 4×4 tile of
// the result in 16 local variables (V8 keeps them in registers), which reaches ~5 GFLOP/s.
// Large float32 products go to the same algorithm in WebAssembly SIMD (engine/wasm/gemm.wat), which
// accumulates in float32 as tfjs and ONNX Runtime do; this kernel accumulates in float64.
import { Tensor, alloc, type FloatArray } from '../tensor.ts'
import { convWasm, gemmWasm, wasmGemmAvailable, type ConvGeometry } from '../wasm/gemm.ts'
import type { Window } from './window.ts'

const MR = 4
const NR = 4
const KC = 256 // k-block: a 4×KC panel of A and of B fit comfortably in L1
const WASM_MIN_WORK = 32 * 32 * 32 // below this the copies into WebAssembly memory cost more than they save

/**
 * A float32 2-D convolution y[n, g·Mg + j, ·] = W[g·Mg + j, :]·cols[n, g, :, ·] in WebAssembly, the
 * im2col columns gathered straight into the product's packed panels; undefined where that path does
 * not apply (float64, 1-D or 3-D, small, or WebAssembly off) and the op composes Im2Col and MatMul.
 */
export function convWasmKernel(x: Tensor, w: Tensor, win: Window, group: number): Tensor | undefined {
  const [N, C, H, W] = x.shape as number[]
  const [M, Cg, KH, KW] = w.shape as number[]
  const [OH, OW] = win.out as [number, number]
  const [Mg, P, K] = [M! / group, OH * OW, Cg! * KH! * KW!]
  if (!(x.data instanceof Float32Array && w.data instanceof Float32Array) || x.shape.length !== 4 || Mg * P * K < WASM_MIN_WORK || !wasmGemmAvailable()) return undefined
  const out = alloc('float32', N! * M! * P) as Float32Array
  const pair = (v: number[]) => [v[0]!, v[1]!] as [number, number]
  const geometry: ConvGeometry = { channels: Cg!, input: [H!, W!], kernel: [KH!, KW!], out: [OH, OW], strides: pair(win.strides), dilations: pair(win.dilations), padBegin: pair(win.pads) }
  for (let n = 0; n < N!; n++) {
    for (let g = 0; g < group; g++) convWasm(x.data, (n * C! + g * Cg!) * H! * W!, w.data, g * Mg * K, out, (n * M! + g * Mg) * P, Mg, geometry)
  }
  return new Tensor('float32', [N!, M!, OH, OW], out)
}

export function gemmKernel(a: FloatArray, ao: number, b: FloatArray, bo: number, out: FloatArray, oo: number, m: number, k: number, n: number): void {
  if (m * n * k < 4096) return naive(a, ao, b, bo, out, oo, m, k, n)
  if (m * n * k >= WASM_MIN_WORK && out instanceof Float32Array && a instanceof Float32Array && b instanceof Float32Array && wasmGemmAvailable()) {
    return gemmWasm(a, ao, b, bo, out, oo, m, k, n)
  }
  const acc = new Float64Array(m * n) // accumulate in float64, store once in the output dtype
  const mPanels = Math.ceil(m / MR)
  const nPanels = Math.ceil(n / NR)
  const kcMax = Math.min(KC, k) // panels as deep as the product needs: most products here have a small k
  const ap = new Float64Array(mPanels * MR * kcMax)
  const bp = new Float64Array(nPanels * NR * kcMax)
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0)
    packA(a, ao, ap, m, k, k0, kc, mPanels)
    packB(b, bo, bp, n, k0, kc, nPanels)
    for (let ip = 0; ip < mPanels; ip++) {
      for (let jp = 0; jp < nPanels; jp++) tile(ap, ip * MR * kc, bp, jp * NR * kc, kc, acc, ip * MR, jp * NR, m, n)
    }
  }
  for (let i = 0; i < m * n; i++) out[oo + i] = acc[i]!
}

/** Rows i..i+3 of A[:, k0..k0+kc] interleaved: ap[p·4 + r] = A[i+r, k0+p] (zero past the edge). */
function packA(a: FloatArray, ao: number, ap: Float64Array, m: number, k: number, k0: number, kc: number, panels: number) {
  for (let ip = 0; ip < panels; ip++) {
    const base = ip * MR * kc
    for (let r = 0; r < MR; r++) {
      const i = ip * MR + r
      if (i >= m) {
        for (let p = 0; p < kc; p++) ap[base + p * MR + r] = 0
        continue
      }
      const row = ao + i * k + k0
      for (let p = 0; p < kc; p++) ap[base + p * MR + r] = a[row + p]!
    }
  }
}

/** Columns j..j+3 of B[k0..k0+kc, :] interleaved: bp[p·4 + c] = B[k0+p, j+c]. */
function packB(b: FloatArray, bo: number, bp: Float64Array, n: number, k0: number, kc: number, panels: number) {
  for (let jp = 0; jp < panels; jp++) {
    const base = jp * NR * kc
    const j = jp * NR
    const w = Math.min(NR, n - j)
    for (let p = 0; p < kc; p++) {
      const row = bo + (k0 + p) * n + j
      for (let c = 0; c < NR; c++) bp[base + p * NR + c] = c < w ? b[row + c]! : 0
    }
  }
}

/** acc[i..i+3, j..j+3] += Apanel·Bpanel over kc: the register tile. */
function tile(ap: Float64Array, a0: number, bp: Float64Array, b0: number, kc: number, acc: Float64Array, i: number, j: number, m: number, n: number) {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0
  for (let p = 0; p < kc; p++) {
    const ai = a0 + p * MR
    const bi = b0 + p * NR
    const a0v = ap[ai]!, a1v = ap[ai + 1]!, a2v = ap[ai + 2]!, a3v = ap[ai + 3]!
    const b0v = bp[bi]!, b1v = bp[bi + 1]!, b2v = bp[bi + 2]!, b3v = bp[bi + 3]!
    c00 += a0v * b0v; c01 += a0v * b1v; c02 += a0v * b2v; c03 += a0v * b3v
    c10 += a1v * b0v; c11 += a1v * b1v; c12 += a1v * b2v; c13 += a1v * b3v
    c20 += a2v * b0v; c21 += a2v * b1v; c22 += a2v * b2v; c23 += a2v * b3v
    c30 += a3v * b0v; c31 += a3v * b1v; c32 += a3v * b2v; c33 += a3v * b3v
  }
  if (i + MR <= m && j + NR <= n) {
    // full tile: the common case, written out so nothing is allocated per tile
    let o = i * n + j
    acc[o] += c00; acc[o + 1] += c01; acc[o + 2] += c02; acc[o + 3] += c03
    o += n
    acc[o] += c10; acc[o + 1] += c11; acc[o + 2] += c12; acc[o + 3] += c13
    o += n
    acc[o] += c20; acc[o + 1] += c21; acc[o + 2] += c22; acc[o + 3] += c23
    o += n
    acc[o] += c30; acc[o + 1] += c31; acc[o + 2] += c32; acc[o + 3] += c33
    return
  }
  const t = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33]
  for (let r = 0; r < MR && i + r < m; r++) {
    for (let c = 0; c < NR && j + c < n; c++) acc[(i + r) * n + j + c] += t[r * NR + c]!
  }
}

/** Small products: packing costs more than it saves. Rows accumulate in float64. */
let scratch = new Float64Array(64)
function naive(a: FloatArray, ao: number, b: FloatArray, bo: number, out: FloatArray, oo: number, m: number, k: number, n: number) {
  if (scratch.length < n) scratch = new Float64Array(2 * n) // one row buffer, reused: small products are called constantly
  const row = scratch
  for (let i = 0; i < m; i++) {
    row.fill(0, 0, n)
    for (let p = 0; p < k; p++) {
      const av = a[ao + i * k + p]!
      const bRow = bo + p * n
      for (let j = 0; j < n; j++) row[j] = row[j]! + av * b[bRow + j]!
    }
    for (let j = 0; j < n; j++) out[oo + i * n + j] = row[j]!
  }
}
