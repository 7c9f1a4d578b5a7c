// Float32 Sigmoid and Relu through elementwise.wat (WebAssembly SIMD): the input is copied into the
// module's memory, transformed four lanes at a time, and copied out. Below MIN_ELEMENTS the copies
// cost more than they save and the TypeScript loops run.
import type { FloatArray } from '../tensor.ts'
import { floats, loadKernel, wasmEnabled, type WasmMemory } from './load.ts'

const MIN_ELEMENTS = 4096
const CHUNK = 8192 // floats per copy: 32 KB in and 32 KB out stay in cache between the copies and the kernel (1.2× over whole arrays)

interface ElementwiseExports {
  memory: WasmMemory
  relu(x: number, y: number, n: number): void
  sigmoid(x: number, y: number, n: number): void
  nonfinite(x: number, n: number): number
}

const wasm = await loadKernel<ElementwiseExports>('elementwise')

/** out = op(x) in WebAssembly if x is float32, large enough and the kernels are on; false if it did not run. */
export function elementwiseWasm(op: 'relu' | 'sigmoid', x: FloatArray, out: FloatArray): boolean {
  if (wasm === undefined || !wasmEnabled() || !(x instanceof Float32Array) || !(out instanceof Float32Array) || x.length < MIN_ELEMENTS) return false
  const n = x.length
  const f = floats(wasm.memory, 8 * CHUNK) // input chunk | output chunk
  for (let at = 0; at < n; at += CHUNK) {
    const m = Math.min(CHUNK, n - at)
    const padded = Math.ceil(m / 4) * 4 // the lanes past m compute garbage that is never copied out
    f.set(x.subarray(at, at + m), 0)
    wasm[op](0, 4 * CHUNK, padded)
    out.set(f.subarray(CHUNK, CHUNK + m), at)
  }
  return true
}

/** Whether float32 x holds a NaN or ±∞, in WebAssembly (undefined where it does not run: small, float64, or off). */
export function hasNonFiniteWasm(x: FloatArray): boolean | undefined {
  if (wasm === undefined || !wasmEnabled() || !(x instanceof Float32Array) || x.length < MIN_ELEMENTS) return undefined
  const f = floats(wasm.memory, 4 * CHUNK)
  for (let at = 0; at < x.length; at += CHUNK) {
    const m = Math.min(CHUNK, x.length - at)
    const padded = Math.ceil(m / 4) * 4
    f.set(x.subarray(at, at + m), 0)
    f.fill(0, m, padded) // the padded lanes must read as finite
    if (wasm.nonfinite(0, padded)) return true
  }
  return false
}
