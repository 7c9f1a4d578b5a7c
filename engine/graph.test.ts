// Unit tests of the executor and the tape. Per-op gradients are checked exhaustively by the
// `backprop.chain-rule` spec; here: the mechanisms around them.
import { describe, expect, test } from 'vitest'
import type { Graph, TensorData } from '../contract/types.ts'
import { createReferenceEngine } from './index.ts'

const f64 = (shape: number[], v: number[]): TensorData => ({ dtype: 'float64', shape, data: Float64Array.from(v) })
const i64 = (v: number[]): TensorData => ({ dtype: 'int64', shape: [v.length], data: BigInt64Array.from(v.map(BigInt)) })
const engine = createReferenceEngine('float64')
const input = (name: string, shape: number[]) => ({ name, dtype: 'float64' as const, shape })

/** Σ r ⊙ op(x): a scalar whose gradient is rᵀJ. */
const loss = (nodes: Graph['nodes'], inputs: Graph['inputs'], inits: Graph['initializers'] = {}): Graph => ({
  inputs,
  initializers: inits,
  nodes: [...nodes, { op: 'ReduceSum', inputs: ['y'], outputs: ['l'], attrs: { keepdims: 0 } }],
  outputs: ['l'],
})

async function numericGrad(g: Graph, feeds: Record<string, TensorData>, wrt: string): Promise<number[]> {
  const c = await engine.compile(g)
  const base = Array.from(feeds[wrt]!.data as Float64Array)
  const at = async (v: number[]) => (await c.run({ ...feeds, [wrt]: f64(feeds[wrt]!.shape, v) }))['l']!.data[0] as number
  const out: number[] = []
  for (let i = 0; i < base.length; i++) {
    const p = [...base], m = [...base]
    p[i]! += 1e-6
    m[i]! -= 1e-6
    out.push(((await at(p)) - (await at(m))) / 2e-6)
  }
  return out
}

describe('graph validation names the node at fault', () => {
  test('unknown op', async () => {
    const g: Graph = { inputs: [], nodes: [{ op: 'Conv3000', inputs: [], outputs: ['y'], name: 'c1' }], outputs: ['y'] }
    await expect(engine.compile(g)).rejects.toThrow(/Error in node "c1" \(Conv3000\): unknown op/)
  })
  test('undefined input', async () => {
    const g: Graph = { inputs: [input('x', [2])], nodes: [{ op: 'Add', inputs: ['x', 'nope'], outputs: ['y'] }], outputs: ['y'] }
    await expect(engine.compile(g)).rejects.toThrow(/Error in node "#0" \(Add\): input "nope" is not defined/)
  })
  test('shapes that do not broadcast', async () => {
    const g: Graph = { inputs: [input('a', [2, 3]), input('b', [2, 2])], nodes: [{ op: 'Add', inputs: ['a', 'b'], outputs: ['y'], name: 'sum1' }], outputs: ['y'] }
    await expect(engine.compile(g)).rejects.toThrow(/Error in node "sum1" \(Add\): shapes \[2,3\] and \[2,2\] do not broadcast/)
  })
  test('a non-finite feed is refused, naming the input', async () => {
    const c = await engine.compile({ inputs: [input('x', [2])], nodes: [{ op: 'Exp', inputs: ['x'], outputs: ['y'] }], outputs: ['y'] })
    await expect(c.run({ x: f64([2], [1, NaN]) })).rejects.toThrow(/graph input "x": value NaN at flat index 1/)
    // a JS caller's plain array has no float words to scan: it is checked value by value
    await expect(c.run({ x: { dtype: 'float64', shape: [2], data: [1, NaN] as unknown as Float64Array } })).rejects.toThrow(/graph input "x": value NaN at flat index 1/)
  })
  test('a float64 graph on a float32 engine is refused, never narrowed silently', async () => {
    const g: Graph = { inputs: [input('x', [1])], nodes: [{ op: 'Add', inputs: ['x', 'x'], outputs: ['y'] }], outputs: ['y'] }
    await expect(createReferenceEngine('float32').compile(g)).rejects.toThrow(/graph input "x" is float64 but this engine computes in float32/)
  })
  test('Clip bounds of shape [1] are read as the scalars they hold; other shapes are refused', async () => {
    const clip = (shape: number[], v: number[]): Graph => ({
      inputs: [input('x', [3])],
      initializers: { lo: f64(shape, v.map((u) => -u)), hi: f64(shape, v) },
      nodes: [{ op: 'Clip', inputs: ['x', 'lo', 'hi'], outputs: ['y'], name: 'c' }],
      outputs: ['y'],
    })
    const y = (await (await engine.compile(clip([1], [1]))).run({ x: f64([3], [-5, 0.5, 5]) }))['y']!
    expect(Array.from(y.data as Float64Array)).toEqual([-1, 0.5, 1])
    await expect(engine.compile(clip([2], [1, 2]))).rejects.toThrow(/Error in node "c" \(Clip\): input 1 \("lo", min\) must be a scalar \(shape \[\] or \[1\]\), got shape \[2\]/)
  })
  test('a static operand that is not an initializer', async () => {
    const g: Graph = { inputs: [input('x', [2, 2]), input('s', [1])], nodes: [{ op: 'Reshape', inputs: ['x', 's'], outputs: ['y'], name: 'r' }], outputs: ['y'] }
    await expect(engine.compile(g)).rejects.toThrow(/Error in node "r" \(Reshape\): input 1 \("s", shape\) must be an initializer/)
  })
})

describe('gradients through broadcasting and static operands', () => {
  const cases: [string, Graph, Record<string, TensorData>, string][] = [
    ['Mul broadcast [2,3]·[3]', loss([{ op: 'Mul', inputs: ['a', 'b'], outputs: ['y'] }], [input('a', [2, 3]), input('b', [3])]),
      { a: f64([2, 3], [1, -2, 3, 0.5, 2, -1]), b: f64([3], [0.3, -0.7, 1.1]) }, 'b'],
    ['MatMul 1-D × batched', loss([{ op: 'MatMul', inputs: ['a', 'b'], outputs: ['y'] }], [input('a', [3]), input('b', [2, 3, 2])]),
      { a: f64([3], [0.2, -0.4, 0.9]), b: f64([2, 3, 2], [1, 2, 3, 4, 5, 6, -1, -2, 0.5, 0.1, 0.3, 0.7]) }, 'a'],
    ['Concat then Slice', loss([{ op: 'Concat', inputs: ['a', 'a'], outputs: ['c'], attrs: { axis: 1 } },
      { op: 'Slice', inputs: ['c', 'st', 'en', 'ax'], outputs: ['s'] }, { op: 'Exp', inputs: ['s'], outputs: ['y'] }],
      [input('a', [2, 2])], { st: i64([1]), en: i64([4]), ax: i64([1]) }), { a: f64([2, 2], [0.1, 0.2, 0.3, 0.4]) }, 'a'],
    ['Gather with repeated and negative indices', loss([{ op: 'Gather', inputs: ['a', 'ix'], outputs: ['s'], attrs: { axis: 1 } }, { op: 'Tanh', inputs: ['s'], outputs: ['y'] }],
      [input('a', [2, 3])], { ix: { dtype: 'int64', shape: [2, 2], data: BigInt64Array.from([0n, -1n, 2n, 0n]) } }), { a: f64([2, 3], [0.1, 0.9, 0.3, 0.8, -0.2, 0.4]) }, 'a'],
    ['ReduceMax with axes', loss([{ op: 'ReduceMax', inputs: ['a'], outputs: ['y'], attrs: { axes: [1], keepdims: 0 } }], [input('a', [2, 3])]),
      { a: f64([2, 3], [0.1, 0.9, 0.3, 0.8, -0.2, 0.4]) }, 'a'],
  ]
  test.each(cases)('%s', async (_name, g, feeds, wrt) => {
    const c = await engine.compile(g)
    const { grads } = await c.valueAndGrad!(feeds, 'l', [wrt])
    const num = await numericGrad(g, feeds, wrt)
    Array.from(grads[wrt]!.data as Float64Array).forEach((v, i) => expect(v).toBeCloseTo(num[i]!, 6))
  })
})

test('Hessian-vector product equals differences of gradients (second order through the tape)', async () => {
  const g = loss([{ op: 'Tanh', inputs: ['x'], outputs: ['t'] }, { op: 'Mul', inputs: ['t', 't'], outputs: ['y'] }], [input('x', [3])])
  const c = await engine.compile(g)
  const x = [0.3, -0.8, 1.2]
  const v = [0.5, -1, 2]
  const hv = await c.hessianVectorProduct!({ x: f64([3], x) }, 'l', ['x'], { x: f64([3], v) })
  const gAt = async (s: number) => (await c.valueAndGrad!({ x: f64([3], x.map((xi, i) => xi + s * v[i]!)) }, 'l', ['x'])).grads['x']!.data
  const [gp, gm] = [await gAt(1e-5), await gAt(-1e-5)]
  Array.from(hv['x']!.data as Float64Array).forEach((h, i) => expect(h).toBeCloseTo(((gp[i] as number) - (gm[i] as number)) / 2e-5, 6))
})

test('float32 and float64 engines agree to float32 precision', async () => {
  // LogSoftmax, not Log(Softmax): e^−1003 underflows in float32 and would rightly give −∞
  const g = loss([{ op: 'LogSoftmax', inputs: ['x'], outputs: ['y'], attrs: { axis: 0 } }], [input('x', [4])])
  const feeds = { x: f64([4], [1000, 999, -3, 0.5]) }
  const g32: Graph = { ...g, inputs: [{ ...g.inputs[0]!, dtype: 'float32' }] }
  const a = (await (await createReferenceEngine('float32').compile(g32)).run({ x: { ...feeds.x, dtype: 'float32', data: Float32Array.from(feeds.x.data as Float64Array) } }))['l']!.data[0] as number
  const b = (await (await engine.compile(g)).run(feeds))['l']!.data[0] as number
  expect(Number.isFinite(a)).toBe(true)
  expect(Math.abs(a - b)).toBeLessThan(1e-3 * Math.abs(b))
})
