// Loading the WebAssembly kernels (engine/wasm/*.wat) and the one switch that turns them off.
// NNSPEC_WASM=0, or a runtime without WebAssembly SIMD, leaves every op on its TypeScript kernel.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { WASM_DIR, watToWasm } from './build.ts'

// tsconfig's lib (ES2022, no DOM) has no WebAssembly types though Node has the global: the members used
interface WasmApi {
  validate(bytes: Uint8Array): boolean
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => { exports: object }
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmApi }

export interface WasmMemory {
  buffer: ArrayBuffer
  grow(pages: number): number
}

/** The module's exports, from the `.wasm` that `npm install` built, or assembled now if that is missing or stale. */
export async function loadKernel<T extends { memory: WasmMemory }>(name: string): Promise<T | undefined> {
  if (process.env['NNSPEC_WASM'] === '0') return undefined
  const wat = join(WASM_DIR, `${name}.wat`)
  const bin = join(WASM_DIR, `${name}.wasm`)
  const fresh = existsSync(bin) && statSync(bin).mtimeMs >= statSync(wat).mtimeMs
  const bytes = fresh ? readFileSync(bin) : await watToWasm(wat)
  if (!WebAssembly.validate(bytes)) return undefined // no SIMD here: the TypeScript kernels it is
  return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as T
}

/** Grow the memory to hold `bytes` and return a fresh float32 view of it (growing detaches old views). */
export function floats(memory: WasmMemory, bytes: number): Float32Array {
  const have = memory.buffer.byteLength
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536))
  return new Float32Array(memory.buffer)
}

let enabled = process.env['NNSPEC_WASM'] !== '0'

/** Whether the WebAssembly kernels may be used (each also needs its module to have loaded). */
export const wasmEnabled = (): boolean => enabled

/** Turn the WebAssembly kernels off or on (tests compare both paths in one process). */
export function useWasm(on: boolean): void {
  enabled = on && process.env['NNSPEC_WASM'] !== '0'
}
