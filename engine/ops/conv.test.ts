// Conv and the pools in 1-D and 3-D are the 2-D ones with unit dims added (metamorphic checks of the
// N-D window geometry, values and gradients); the N-D cases are also drawn by the per-op specs and
// checked against ONNX Runtime, finite differences and the ONNX node tests. Float32 2-D Conv's
// WebAssembly path (several images and groups) is held to float64 within the summation bound.
import { expect, test } from 'vitest'
import { Rng } from '../../contract/rng.ts'
import type { Graph, TensorData } from '../../contract/types.ts'
import { createReferenceEngine } from '../index.ts'
import { Tensor } from '../tensor.ts'
import { useWasm, wasmEnabled } from '../wasm/load.ts'
import { convWasmKernel } from './gemm_kernel.ts'
import { windowOf } from './window.ts'

const engine = createReferenceEngine('float64')
const rng = new Rng(3)
const random = (shape: number[]): TensorData => ({ dtype: 'float64', shape, data: Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1)) })
const reshaped = (t: TensorData, shape: number[]): TensorData => ({ ...t, shape })

/** y = op(x[, w]) and the gradient of Σ r ⊙ y w.r.t. x (and w), r fixed. */
async function run(op: string, x: TensorData, w: TensorData | undefined, attrs: Record<string, unknown>, r: number[]) {
  const inputs = [{ name: 'x', dtype: 'float64' as const, shape: x.shape }, ...(w ? [{ name: 'w', dtype: 'float64' as const, shape: w.shape }] : [])]
  const probe: Graph = { inputs, nodes: [{ op, inputs: w ? ['x', 'w'] : ['x'], outputs: ['y'], attrs }], outputs: ['y'] }
  const y = (await (await engine.compile(probe)).run({ x, ...(w ? { w } : {}) }))['y']!
  const g: Graph = {
    inputs,
    initializers: { r: { dtype: 'float64', shape: y.shape, data: Float64Array.from(r.slice(0, y.data.length)) } },
    nodes: [...probe.nodes, { op: 'Mul', inputs: ['y', 'r'], outputs: ['yr'] }, { op: 'ReduceSum', inputs: ['yr'], outputs: ['l'], attrs: { keepdims: 0 } }],
    outputs: ['l'],
  }
  const { grads } = await (await engine.compile(g)).valueAndGrad!({ x, ...(w ? { w } : {}) }, 'l', w ? ['x', 'w'] : ['x'])
  return { y: Array.from(y.data as Float64Array), shape: y.shape, dx: Array.from(grads['x']!.data as Float64Array), dw: w ? Array.from(grads['w']!.data as Float64Array) : [] }
}

const r = Array.from({ length: 4096 }, () => rng.uniform(-1, 1))

test('1-D Conv is 2-D Conv over a height of 1: values and both gradients', async () => {
  const [x, w] = [random([2, 3, 9]), random([4, 3, 3])]
  const one = await run('Conv', x, w, { strides: [2], dilations: [2], pads: [1, 2] }, r)
  const two = await run('Conv', reshaped(x, [2, 3, 1, 9]), reshaped(w, [4, 3, 1, 3]), { strides: [1, 2], dilations: [1, 2], pads: [0, 1, 0, 2] }, r)
  expect(one.shape).toEqual([2, 4, 4])
  expect(two.shape).toEqual([2, 4, 1, 4])
  expect([one.y, one.dx, one.dw]).toEqual([two.y, two.dx, two.dw])
})

test('3-D pooling with a depth-1 window is 2-D pooling of each depth slice', async () => {
  const x = random([1, 2, 3, 5, 4])
  for (const op of ['MaxPool', 'AveragePool']) {
    const three = await run(op, x, undefined, { kernel_shape: [1, 2, 2], strides: [1, 2, 1], pads: [0, 1, 0, 0, 0, 1] }, r)
    // [1, 2, 3, 5, 4] seen as 6 images of 5×4 (channel × depth folded into channels)
    const two = await run(op, reshaped(x, [1, 6, 5, 4]), undefined, { kernel_shape: [2, 2], strides: [2, 1], pads: [1, 0, 0, 1] }, r)
    expect(three.shape).toEqual([1, 2, 3, 3, 4])
    expect([three.y, three.dx]).toEqual([two.y, two.dx])
  }
})

test('the global pools reduce every spatial dim, in any rank', async () => {
  const x = random([2, 3, 4, 2, 3])
  const avg = await run('GlobalAveragePool', x, undefined, {}, r)
  expect(avg.shape).toEqual([2, 3, 1, 1, 1])
  const data = x.data as Float64Array
  expect(avg.y[0]).toBeCloseTo(Array.from(data.subarray(0, 24)).reduce((a, b) => a + b, 0) / 24, 12)
  const max = await run('GlobalMaxPool', reshaped(x, [2, 3, 24]), undefined, {}, r)
  expect(max.shape).toEqual([2, 3, 1])
  expect(max.y[1]).toBe(Math.max(...data.subarray(24, 48)))
})

test.runIf(wasmEnabled())('float32 Conv in WebAssembly (images × groups, each offset into x, W and y) agrees with float64 within the float32 summation bound', async () => {
  // N = 2 images, 2 groups of 4 channels, 8 output channels per group: Mg·P·K = 8·(13·12)·36 ≥ 32³ takes the WebAssembly path
  const [N, C, H, W, M, G] = [2, 8, 24, 24, 16, 2]
  const attrs = { group: G, strides: [2, 2], pads: [1, 0, 2, 1], kernel_shape: [3, 3] }
  const [x, w] = [random([N, C, H, W]), random([M, C / G, 3, 3])]
  const f32 = (t: TensorData): TensorData => ({ ...t, dtype: 'float32', data: Float32Array.from(t.data as Float64Array) })
  const abs = (t: TensorData): TensorData => ({ ...t, data: (t.data as Float64Array).map(Math.abs) })
  const conv = async (e: ReturnType<typeof createReferenceEngine>, dtype: 'float32' | 'float64', a: TensorData, b: TensorData) => {
    const g: Graph = { inputs: [{ name: 'x', dtype, shape: a.shape }, { name: 'w', dtype, shape: b.shape }], nodes: [{ op: 'Conv', inputs: ['x', 'w'], outputs: ['y'], attrs }], outputs: ['y'] }
    return (await (await e.compile(g)).run({ x: a, w: b }))['y']!
  }
  const [x32, w32] = [f32(x), f32(w)]
  const widen = (t: TensorData): TensorData => ({ ...t, dtype: 'float64', data: Float64Array.from(t.data as Float32Array) })
  const exact = (await conv(engine, 'float64', widen(x32), widen(w32))).data as Float64Array
  const sums = (await conv(engine, 'float64', abs(widen(x32)), abs(widen(w32)))).data as Float64Array
  const win = windowOf('Conv', [H, W], [3, 3], attrs)
  expect(convWasmKernel(new Tensor('float32', x32.shape, x32.data as Float32Array), new Tensor('float32', w32.shape, w32.data as Float32Array), win, G)).toBeDefined()
  const float32 = createReferenceEngine('float32')
  for (const wasm of [true, false]) {
    useWasm(wasm)
    try {
      const y = await conv(float32, 'float32', x32, w32)
      expect(y.shape).toEqual([N, M, 13, 12])
      ;(y.data as Float32Array).forEach((v, i) => {
        const bound = (36 + 1) * 2 ** -24 * sums[i]!
        if (!(Math.abs(v - exact[i]!) <= bound)) expect.fail(`Conv y[${i}] = ${v} (WebAssembly ${wasm ? 'on' : 'off'}) but float64 gives ${exact[i]} (|Δ| ${Math.abs(v - exact[i]!).toExponential(2)} > bound ${bound.toExponential(2)})`)
      })
    } finally {
      useWasm(true)
    }
  }
})
