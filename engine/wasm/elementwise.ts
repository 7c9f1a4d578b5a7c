// Float32 Sigmoid and Relu through elementwise.wat (WebAssembly SIMD): the input is copied into the
// module's memory, transformed four lanes at a time, and copied out. Below MIN_ELEMENTS the copies
// cost more than they save and the TypeScript loops run.
import type { FloatArray } from '../tensor.ts'
import { floats, loadKernel, wasmEnabled, type WasmMemory } from './load.ts'

const MIN_ELEMENTS = 4096

interface ElementwiseExports {
  memory: WasmMemory
  relu(x: number, y: number, n: number): void
  sigmoid(x: number, y: number, n: number): void
}

const wasm = await loadKernel<ElementwiseExports>('elementwise')

/** out = op(x) in WebAssembly if x is float32, large enough and the kernels are on; false if it did not run. */
export function elementwiseWasm(op: 'relu' | 'sigmoid', x: FloatArray, out: FloatArray): boolean {
  if (wasm === undefined || !wasmEnabled() || !(x instanceof Float32Array) || !(out instanceof Float32Array) || x.length < MIN_ELEMENTS) return false
  const n = x.length
  const padded = Math.ceil(n / 4) * 4 // the lanes past n compute garbage that is never copied out
  const f = floats(wasm.memory, 8 * padded)
  f.set(x, 0)
  wasm[op](0, 4 * padded, padded)
  out.set(f.subarray(padded, padded + n))
  return true
}
