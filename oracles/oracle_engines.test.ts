// The oracle engines' own checks: no tensor leaks, interleaved backends, bad graphs named, sessions reused.
import * as tf from '@tensorflow/tfjs'
import { expect, test } from 'vitest'
import type { Graph } from '../contract/types.ts'
import { td } from '../harness/tensors.ts'
import { createOnnxRuntimeEngine } from './onnxruntime.ts'
import { createTfjsEngine } from './tfjs.ts'

const mlp: Graph = {
  inputs: [{ name: 'x', dtype: 'float32', shape: [2, 3] }, { name: 'W', dtype: 'float32', shape: [4, 3] }],
  initializers: { b: td('float32', [4], [0.1, -0.2, 0.3, 0]) },
  nodes: [
    { op: 'Gemm', inputs: ['x', 'W', 'b'], outputs: ['h'], attrs: { transB: 1, alpha: 0.5 }, name: 'fc' },
    { op: 'Elu', inputs: ['h'], outputs: ['e'], attrs: { alpha: 1 } },
    { op: 'ReduceSum', inputs: ['e'], outputs: ['l'], attrs: { keepdims: 0 } },
  ],
  outputs: ['l', 'h'],
}
const feeds = { x: td('float32', [2, 3], [1, 2, 3, -1, 0.5, 0]), W: td('float32', [4, 3], [0.1, 0.2, 0.3, -0.1, 0, 0.4, 0.5, -0.5, 0.2, 0.3, 0.1, -0.2]) }
const bad: Graph = { inputs: [], nodes: [{ op: 'Add', inputs: ['nope', 'nope'], outputs: ['y'], name: 'sum' }], outputs: ['y'] }

test('tfjs: cpu and wasm interleaved give the same results and leak no tensors', async () => {
  const [cpu, wasm] = [await createTfjsEngine('cpu'), await createTfjsEngine('wasm')]
  const [c1, c2] = [await cpu.compile(mlp), await wasm.compile(mlp)]
  await c1.run(feeds)
  const before = tf.memory().numTensors
  for (let i = 0; i < 3; i++) {
    const [a, b] = [await c1.valueAndGrad!(feeds, 'l', ['W']), await c2.valueAndGrad!(feeds, 'l', ['W'])]
    expect(a.value).toBeCloseTo(b.value, 5)
    Array.from(a.grads['W']!.data as Float32Array).forEach((v, k) => expect(v).toBeCloseTo((b.grads['W']!.data as Float32Array)[k]!, 5))
  }
  expect(tf.memory().numTensors).toBe(before)
})

test('tfjs and onnxruntime name the node of a bad graph', async () => {
  await expect((await createTfjsEngine('cpu')).compile(bad)).rejects.toThrow(/Error in node "sum" \(Add\): input "nope" is not defined/)
  await expect((await createOnnxRuntimeEngine()).compile(bad)).rejects.toThrow(/Error in node "sum" \(Add\): input "nope" is not defined/)
})

test('onnxruntime: one session per compiled graph, schema-typed attributes (Elu alpha 1 is a FLOAT)', async () => {
  const c = await (await createOnnxRuntimeEngine()).compile(mlp)
  const [a, b] = [await c.run(feeds), await c.run(feeds)]
  expect(a['l']!.data[0]).toBe(b['l']!.data[0])
  const ref = await (await createTfjsEngine('cpu')).compile(mlp)
  expect(a['l']!.data[0] as number).toBeCloseTo((await ref.run(feeds))['l']!.data[0] as number, 5)
  expect(c.valueAndGrad).toBeUndefined()
  c.dispose?.()
})
