// The WebAssembly Sigmoid and Relu against the TypeScript kernels they replace for large float32
// tensors: Relu bit for bit (NaN passes, −0 becomes +0), Sigmoid within a relative 4·2⁻²³ of σ
// computed in float64 (≈ 4 float32 ulps: an exhaustive run over all 2³² inputs found 4.08 true ulps
// at worst), over random values, the saturated tails and the special values.
import { describe, expect, it } from 'vitest'
import { Rng } from '../../contract/rng.ts'
import { reluInto } from '../ops/float_bits.ts'
import { elementwiseWasm } from './elementwise.ts'
import { wasmEnabled } from './load.ts'

const SPECIAL = [0, -0, 1e-45, -1e-45, 1e-38, -1e-38, 86.9, -86.9, 87.5, -87.5, 88.8, -103.9, 1e30, -1e30, Infinity, -Infinity, NaN, -NaN]

function inputs(): Float32Array {
  const rng = new Rng(5)
  // two chunks of 8192 and 4099 more: the chunk boundaries and a padded tail (not a multiple of 4) are exercised
  const x = Float32Array.from({ length: 2 * 8192 + 4099 }, () => rng.uniform(-30, 30))
  x.set(SPECIAL, 0)
  x.set(SPECIAL, x.length - SPECIAL.length)
  return x
}

/** |σ|·2⁻²³ in float32, and never below the subnormal spacing 2⁻¹⁴⁹: one to two true ulps. */
const unit = (v: number) => {
  const f = Math.fround(Math.abs(v))
  return f === 0 ? 2 ** -149 : Math.max(2 ** -149, f * 2 ** -23)
}

describe.runIf(wasmEnabled())('engine/wasm/elementwise', () => {
  it('Relu equals the TypeScript kernel bit for bit', () => {
    const x = inputs()
    const [ts, wasm] = [new Float32Array(x.length), new Float32Array(x.length)]
    reluInto(x, ts)
    expect(elementwiseWasm('relu', x, wasm)).toBe(true)
    const [a, b] = [new Int32Array(ts.buffer), new Int32Array(wasm.buffer)]
    a.forEach((w, i) => {
      if (w !== b[i]) expect.fail(`Relu(${x[i]}) = ${wasm[i]} (bits ${b[i]}) but the TypeScript kernel gives ${ts[i]} (bits ${w})`)
    })
  })

  it('Sigmoid is within a relative 4·2⁻²³ of σ in float64 (2⁻¹⁴⁹ apart among subnormals), and NaN stays NaN', () => {
    const x = inputs()
    const y = new Float32Array(x.length)
    expect(elementwiseWasm('sigmoid', x, y)).toBe(true)
    x.forEach((v, i) => {
      const exact = 1 / (1 + Math.exp(-v))
      if (Number.isNaN(v)) return expect(y[i]).toBeNaN()
      const err = Math.abs(y[i]! - exact) / unit(exact)
      if (!(err <= 4)) expect.fail(`Sigmoid(${v}) = ${y[i]} but σ in float64 is ${exact} (${err.toFixed(1)} × |σ|·2⁻²³ > 4)`)
    })
  })

  it('declines what it does not handle: float64, and tensors below the size threshold', () => {
    expect(elementwiseWasm('relu', new Float64Array(8192), new Float64Array(8192))).toBe(false)
    expect(elementwiseWasm('sigmoid', new Float32Array(100), new Float32Array(100))).toBe(false)
  })
})
