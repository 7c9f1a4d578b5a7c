// The float32 matrix product through gemm.wat (WebAssembly SIMD). Operands are copied into the
// module's memory, padded to the 4×8 tile, multiplied, and the result copied out: the copies are
// O(n²) against O(n³) work, which is why gemmKernel only calls this above a size threshold.
// convWasm is a 2-D convolution on the same tile, its im2col columns gathered inside the module.
import { floats, loadKernel, wasmEnabled, type WasmMemory } from './load.ts'

const KC = 256 // k-block: a 256×8 float32 panel of B is 8 KB and stays in L1 across a block of rows
const MC = 64 // row block: 64×256 floats of A are 64 KB and stay in L2 across the panels of B

interface GemmExports {
  memory: WasmMemory
  gemm(a: number, b: number, c: number, bp: number, mp: number, k: number, n: number, np: number, kc: number, mc: number): void
  conv(a: number, x: number, c: number, bp: number, geo: number, tab: number, mp: number, k: number, np: number, kc: number): void
}

const wasm = await loadKernel<GemmExports>('gemm')

/** For tests: the module's memory (what convWasm writes must stay inside its layout). */
export const gemmMemory = (): WasmMemory | undefined => wasm?.memory

/** Whether float32 products above the threshold run in WebAssembly. */
export const wasmGemmAvailable = (): boolean => wasm !== undefined && wasmEnabled()

const up = (x: number, to: number) => Math.ceil(x / to) * to

/** The first m rows of the result C (rows np floats apart in the module, padded to the tile) into out, n per row. */
function copyRows(f: Float32Array, offC: number, np: number, out: Float32Array, oo: number, m: number, n: number): void {
  if (np === n) out.set(f.subarray(offC, offC + m * n), oo)
  else for (let i = 0; i < m; i++) out.set(f.subarray(offC + i * np, offC + i * np + n), oo + i * n)
}

/** out[m×n] = a[m×k]·b[k×n] (row-major, at the offsets), accumulated in float32. */
export function gemmWasm(a: Float32Array, ao: number, b: Float32Array, bo: number, out: Float32Array, oo: number, m: number, k: number, n: number): void {
  const { memory, gemm } = wasm!
  const mp = up(m, 4)
  const np = up(n, 8)
  // layout in floats: A (mp×k) | B (k×n) | C (mp×np) | packed B (KC×np)
  // (each part starts on a 16-byte boundary, where SIMD loads and stores are fastest)
  const offA = 0
  const offB = up(offA + mp * k, 4)
  const offC = up(offB + k * n, 4)
  const offP = up(offC + mp * np, 4)
  const f = floats(memory, 4 * (offP + Math.min(KC, k) * np))
  f.set(a.subarray(ao, ao + m * k), offA)
  f.fill(0, offA + m * k, offB) // padding rows of A
  f.set(b.subarray(bo, bo + k * n), offB)
  f.fill(0, offC, offC + mp * np)
  gemm(4 * offA, 4 * offB, 4 * offC, 4 * offP, mp, k, n, np, KC, MC)
  copyRows(f, offC, np, out, oo, m, n)
}

/** A 2-D convolution's geometry, per spatial dim [height, width]: what ONNX's Conv attributes resolve to. */
export interface ConvGeometry {
  channels: number
  input: [number, number]
  kernel: [number, number]
  out: [number, number]
  strides: [number, number]
  dilations: [number, number]
  /** padding before the first row and column */
  padBegin: [number, number]
}

/** Where convWasm puts each part in the module's memory, in floats; `end` is the first float past them all. */
export function convLayout(m: number, g: ConvGeometry) {
  const k = g.channels * g.kernel[0] * g.kernel[1]
  const [mp, np, kc] = [up(m, 4), up(g.out[0] * g.out[1], 8), Math.min(KC, k)]
  // A (mp×k) | x (C·H·W) | C (mp×np) | panel (kc×8) | 8 column origins (16) | geometry (7, room for 8) | row table (3k)
  const offA = 0
  const offX = up(offA + mp * k, 4)
  const offC = up(offX + g.channels * g.input[0] * g.input[1], 4)
  const offP = up(offC + mp * np, 4)
  const offGeo = offP + kc * 8 + 16
  const offTab = offGeo + 8
  return { k, mp, np, kc, offA, offX, offC, offP, offGeo, offTab, end: offTab + 3 * k }
}

/**
 * out[m×P] = w[m×K]·cols, cols[K×P] the im2col matrix of one image x[C×H×W] (K = C·kh·kw, P = oh·ow),
 * accumulated in float32. The columns are gathered straight into the packed panels the 4×8 tile
 * reads (gemm.wat's conv), so the K×P matrix is never built: for a 3×3 kernel it is 9 times the image.
 */
export function convWasm(x: Float32Array, xo: number, w: Float32Array, wo: number, out: Float32Array, oo: number, m: number, g: ConvGeometry): void {
  const { memory, conv } = wasm!
  const [H, W] = g.input
  const [KH, KW] = g.kernel
  const { k, mp, np, kc, offA, offX, offC, offP, offGeo, offTab, end } = convLayout(m, g)
  const f = floats(memory, 4 * end)
  const ints = new Int32Array(memory.buffer)
  f.set(w.subarray(wo, wo + m * k), offA)
  f.fill(0, offA + m * k, offX) // padding rows of A
  f.set(x.subarray(xo, xo + g.channels * H * W), offX)
  f.fill(0, offC, offC + mp * np)
  ints.set([H, W, g.out[1], g.strides[0], g.strides[1], g.padBegin[0], g.padBegin[1]], offGeo)
  // row k = (ci, kh, kw): where its window starts, and its kernel offsets for the bounds tests
  let t = offTab
  for (let ci = 0; ci < g.channels; ci++) {
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const khd = kh * g.dilations[0]
        const kwd = kw * g.dilations[1]
        ints[t++] = ci * H * W + khd * W + kwd
        ints[t++] = khd
        ints[t++] = kwd
      }
    }
  }
  conv(4 * offA, 4 * offX, 4 * offC, 4 * offP, 4 * offGeo, 4 * offTab, mp, k, np, kc) // kc, not KC: the origins follow a panel of kc rows
  copyRows(f, offC, np, out, oo, m, g.out[0] * g.out[1])
}
