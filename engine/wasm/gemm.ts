// The float32 matrix product through gemm.wat (WebAssembly SIMD). Operands are copied into the
// module's memory, padded to the 4×8 tile, multiplied, and the result copied out: the copies are
// O(n²) against O(n³) work, which is why gemmKernel only calls this above a size threshold.
import { floats, loadKernel, wasmEnabled, type WasmMemory } from './load.ts'

const KC = 256 // k-block: a 256×8 float32 panel of B is 8 KB and stays in L1 across a block of rows
const MC = 64 // row block: 64×256 floats of A are 64 KB and stay in L2 across the panels of B

interface GemmExports {
  memory: WasmMemory
  gemm(a: number, b: number, c: number, bp: number, mp: number, k: number, n: number, np: number, kc: number, mc: number): void
}

const wasm = await loadKernel<GemmExports>('gemm')

/** Whether float32 products above the threshold run in WebAssembly. */
export const wasmGemmAvailable = (): boolean => wasm !== undefined && wasmEnabled()

const up = (x: number, to: number) => Math.ceil(x / to) * to

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
  if (np === n) out.set(f.subarray(offC, offC + m * n), oo)
  else for (let i = 0; i < m; i++) out.set(f.subarray(offC + i * np, offC + i * np + n), oo + i * n)
}
