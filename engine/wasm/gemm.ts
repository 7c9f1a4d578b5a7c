// The float32 matrix product through gemm.wat (WebAssembly SIMD). Operands are copied into the
// module's memory, padded to the 4×8 tile, multiplied, and the result copied out: the copies are
// O(n²) against O(n³) work, which is why gemmKernel only calls this above a size threshold.
// NNSPEC_WASM=0 turns it off (the TypeScript kernel then runs everything).
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { WASM_DIR, watToWasm } from './build.ts'

const KC = 256 // k-block: a 256×8 float32 panel of B is 8 KB and stays in L1 across a block of rows
const MC = 64 // row block: 64×256 floats of A are 64 KB and stay in L2 across the panels of B

// tsconfig's lib (ES2022, no DOM) has no WebAssembly types though Node has the global: the members used
interface WasmApi {
  validate(bytes: Uint8Array): boolean
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => { exports: object }
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmApi }

interface GemmExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number }
  gemm(a: number, b: number, c: number, bp: number, mp: number, k: number, n: number, np: number, kc: number, mc: number): void
}

async function load(): Promise<GemmExports | undefined> {
  if (process.env['NNSPEC_WASM'] === '0') return undefined
  const wat = join(WASM_DIR, 'gemm.wat')
  const bin = join(WASM_DIR, 'gemm.wasm')
  const fresh = existsSync(bin) && statSync(bin).mtimeMs >= statSync(wat).mtimeMs
  const bytes = fresh ? readFileSync(bin) : await watToWasm(wat)
  // a runtime without SIMD fails validation here; the TypeScript kernel is the fallback
  if (!WebAssembly.validate(bytes)) return undefined
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes))
  return instance.exports as unknown as GemmExports
}

const wasm = await load()
let enabled = wasm !== undefined

/** Whether float32 products above the threshold run in WebAssembly. */
export const wasmGemmAvailable = (): boolean => enabled

/** Turn the WebAssembly path off or on (tests compare both paths in one process). */
export function useWasmGemm(on: boolean): void {
  enabled = on && wasm !== undefined
}

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
  const bytes = 4 * (offP + Math.min(KC, k) * np)
  if (bytes > memory.buffer.byteLength) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536))
  const f = new Float32Array(memory.buffer)
  f.set(a.subarray(ao, ao + m * k), offA)
  f.fill(0, offA + m * k, offB) // padding rows of A
  f.set(b.subarray(bo, bo + k * n), offB)
  f.fill(0, offC, offC + mp * np)
  gemm(4 * offA, 4 * offB, 4 * offC, 4 * offP, mp, k, n, np, KC, MC)
  if (np === n) out.set(f.subarray(offC, offC + m * n), oo)
  else for (let i = 0; i < m; i++) out.set(f.subarray(offC + i * np, offC + i * np + n), oo + i * n)
}
