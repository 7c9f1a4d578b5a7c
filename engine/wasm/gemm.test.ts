// The WebAssembly SIMD product against the TypeScript kernel it replaces for large float32 products.
// The TypeScript kernel accumulates in float64 and rounds once; the SIMD one accumulates in float32,
// so they may differ by the summation bound |Δ| ≤ (k+1)·u·(|A|·|B|)ᵢⱼ with u = 2⁻²⁴ (Higham, γₖ plus
// the final rounding) — and by no more, for every element, on shapes that hit every edge case.
import { describe, expect, it } from 'vitest'
import { Rng } from '../../contract/rng.ts'
import { gemmKernel } from '../ops/gemm_kernel.ts'
import { gemmWasm, wasmGemmAvailable } from './gemm.ts'
import { useWasm } from './load.ts'

const U = 2 ** -24

// m not a multiple of 4 or of the 64-row block, n not a multiple of 8, k past one 256 k-block
const SHAPES: [number, number, number][] = [[32, 32, 32], [33, 45, 31], [70, 300, 9], [1, 513, 40], [130, 64, 257], [64, 576, 200]]

function operands(rng: Rng, m: number, k: number, n: number) {
  const a = Float32Array.from({ length: m * k + 3 }, () => rng.uniform(-1, 1))
  const b = Float32Array.from({ length: k * n + 5 }, () => rng.uniform(-1, 1))
  return { a, b }
}

describe('engine/wasm/gemm', () => {
  it('is available on this runtime (Node ≥ 16.4 has WebAssembly SIMD) unless NNSPEC_WASM=0', () => {
    expect(wasmGemmAvailable()).toBe(process.env['NNSPEC_WASM'] !== '0')
  })

  it.runIf(wasmGemmAvailable()).each(SHAPES)('m=%i k=%i n=%i agrees with the float64-accumulating kernel within the float32 summation bound', (m, k, n) => {
    const rng = new Rng(m * 1000 + k * 10 + n)
    const { a, b } = operands(rng, m, k, n)
    // offsets as MatMul's batched calls pass them
    const [ao, bo, oo] = [3, 5, 2]
    const ref = new Float32Array(m * n + oo)
    useWasm(false)
    gemmKernel(a, ao, b, bo, ref, oo, m, k, n)
    useWasm(true)
    const got = new Float32Array(m * n + oo).fill(NaN)
    gemmWasm(a, ao, b, bo, got, oo, m, k, n)
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let absSum = 0
        for (let p = 0; p < k; p++) absSum += Math.abs(a[ao + i * k + p]! * b[bo + p * n + j]!)
        const d = Math.abs(got[oo + i * n + j]! - ref[oo + i * n + j]!)
        const bound = (k + 1) * U * absSum
        if (!(d <= bound)) expect.fail(`gemm ${m}×${k}·${k}×${n} out[${i},${j}] = ${got[oo + i * n + j]} but the TypeScript kernel gives ${ref[oo + i * n + j]} (|Δ| ${d.toExponential(2)} > bound ${bound.toExponential(2)})`)
      }
    }
    expect([...got.subarray(0, oo)].every(Number.isNaN)).toBe(true) // nothing written before the output offset
  })
})
