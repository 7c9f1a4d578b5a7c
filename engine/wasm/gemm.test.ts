// The WebAssembly SIMD product against the TypeScript kernel it replaces for large float32 products,
// and its convolution (im2col gathered into the packed panels) against im2col summed in float64.
// The TypeScript kernel accumulates in float64 and rounds once; the SIMD one accumulates in float32,
// so they may differ by the summation bound |Δ| ≤ (k+1)·u·(|A|·|B|)ᵢⱼ with u = 2⁻²⁴ (Higham, γₖ plus
// the final rounding) — and by no more, for every element, on shapes that hit every edge case.
import { describe, expect, it } from 'vitest'
import { Rng } from '../../contract/rng.ts'
import { gemmKernel } from '../ops/gemm_kernel.ts'
import { convLayout, convWasm, gemmMemory, gemmWasm, wasmGemmAvailable, type ConvGeometry } from './gemm.ts'
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

  // [out channels, C, H, W, kh, kw, strides, dilations, pads (top, left)]: panels that straddle output
  // rows, P and m not multiples of 8 and 4, K past one 256 k-block, windows that leave the image on every side
  const CONVS: [number, number, number, number, number, number, [number, number], [number, number], [number, number]][] = [
    [5, 3, 7, 9, 3, 3, [1, 1], [1, 1], [1, 1]],
    [32, 16, 32, 32, 3, 3, [1, 1], [1, 1], [1, 1]],
    [7, 2, 11, 13, 3, 2, [2, 1], [1, 2], [2, 0]],
    [9, 4, 20, 21, 5, 5, [2, 2], [1, 1], [2, 2]],
    [3, 300, 6, 17, 1, 1, [1, 1], [1, 1], [0, 0]],
    [6, 1, 4, 30, 3, 7, [1, 3], [2, 1], [3, 4]],
  ]

  it.runIf(wasmGemmAvailable()).each(CONVS)('conv of %i×%i×%i×%i by %i×%i (strides %j, dilations %j, pads %j) agrees with im2col in float64 within the float32 summation bound', (m, c, h, w, kh, kw, s, d, p) => {
    const rng = new Rng(m * 7 + c * 5 + h * 3 + w)
    const out: [number, number] = [Math.floor((h + 2 * p[0] - (kh - 1) * d[0] - 1) / s[0]) + 1, Math.floor((w + 2 * p[1] - (kw - 1) * d[1] - 1) / s[1]) + 1]
    const g: ConvGeometry = { channels: c, input: [h, w], kernel: [kh, kw], out, strides: s, dilations: d, padBegin: p }
    const x = Float32Array.from({ length: c * h * w + 1 }, () => rng.uniform(-1, 1))
    const wt = Float32Array.from({ length: m * c * kh * kw + 2 }, () => rng.uniform(-1, 1))
    const P = out[0] * out[1]
    const got = new Float32Array(m * P + 3).fill(NaN)
    convWasm(x, 1, wt, 2, got, 3, m, g) // at offsets, as Conv's per-(image, group) calls pass them
    for (let o = 0; o < m; o++) {
      for (let q = 0; q < P; q++) {
        const [oh, ow] = [Math.floor(q / out[1]), q % out[1]]
        let [sum, absSum] = [0, 0]
        for (let ci = 0; ci < c; ci++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
          const [ih, iw] = [oh * s[0] - p[0] + i * d[0], ow * s[1] - p[1] + j * d[1]]
          if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue
          const t = x[1 + (ci * h + ih) * w + iw]! * wt[2 + ((o * c + ci) * kh + i) * kw + j]!
          sum += t
          absSum += Math.abs(t)
        }
        const d2 = Math.abs(got[3 + o * P + q]! - sum)
        const bound = (c * kh * kw + 1) * U * absSum
        if (!(d2 <= bound)) expect.fail(`conv out[${o},${oh},${ow}] = ${got[3 + o * P + q]} but im2col in float64 gives ${sum} (|Δ| ${d2.toExponential(2)} > bound ${bound.toExponential(2)})`)
      }
    }
    expect([...got.subarray(0, 3)].every(Number.isNaN)).toBe(true) // nothing written before the output offset
  })

  it.runIf(wasmGemmAvailable()).each(CONVS)('conv of %i×%i×%i×%i by %i×%i (strides %j, dilations %j, pads %j) writes nothing in the module past its layout', (m, c, h, w, kh, kw, s, d, p) => {
    const out: [number, number] = [Math.floor((h + 2 * p[0] - (kh - 1) * d[0] - 1) / s[0]) + 1, Math.floor((w + 2 * p[1] - (kw - 1) * d[1] - 1) / s[1]) + 1]
    const g: ConvGeometry = { channels: c, input: [h, w], kernel: [kh, kw], out, strides: s, dilations: d, padBegin: p }
    const [x, wt, y] = [new Float32Array(c * h * w).fill(0.5), new Float32Array(m * c * kh * kw).fill(0.25), new Float32Array(m * out[0] * out[1])]
    convWasm(x, 0, wt, 0, y, 0, m, g) // grows the memory to what it needs
    const words = new Int32Array(gemmMemory()!.buffer)
    const SENTINEL = 0x7fa5a5a5
    words.fill(SENTINEL)
    convWasm(x, 0, wt, 0, y, 0, m, g)
    const end = convLayout(m, g).end
    const stray = words.findIndex((v, i) => i >= end && v !== SENTINEL)
    if (stray >= 0) expect.fail(`conv wrote float ${stray} of the module's memory, past its layout's end at ${end}`)
  })
})
