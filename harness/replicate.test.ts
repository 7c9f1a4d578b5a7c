// The replicated graph gives every replica its own value and gradients: concurrent trials through
// batching() get the numbers they would get one by one (to the last bits, up to summation order).
import { describe, expect, it } from 'vitest'
import { createReferenceEngine } from '../engine/index.ts'
import type { Engine, FloatDType, Graph, TensorData, ValueAndGrad } from '../contract/types.ts'
import { batching, concurrently } from './batching.ts'
import { GraphBuilder } from './graph_builder.ts'
import { addLosses, l2Penalty, mlp, mseLoss } from './layers.ts'
import { NotReplicable, replicate } from './replicate.ts'
import { Rng } from '../contract/rng.ts'
import { randomTensor } from './tensors.ts'

function regression(dtype: FloatDType, rng: Rng) {
  const g = new GraphBuilder(dtype)
  const [x, y] = [g.input('x', [5, 3]), g.input('y', [5, 2])]
  const { out, layers } = mlp(g, x, [3, 4, 2], { act: 'Tanh', outAct: 'Sigmoid', rng })
  const loss = addLosses(g, mseLoss(g, out, y), l2Penalty(g, layers.map((l) => l.W), 0.1))
  return { graph: g.output(loss).build(), loss, params: g.paramValues() }
}

const feedsOf = (dtype: FloatDType, rng: Rng) => ({ x: randomTensor(rng, dtype, [5, 3]), y: randomTensor(rng, dtype, [5, 2]) })

/** A grouped, padded Conv with bias, Relu, GlobalMaxPool and Flatten: the rule that needs the replica count. */
function convNet(dtype: FloatDType, rng: Rng) {
  const g = new GraphBuilder(dtype)
  const x = g.input('x', [3, 2, 5, 5])
  const W = g.param('W', randomTensor(rng, dtype, [4, 1, 3, 3]))
  const b = g.param('b', randomTensor(rng, dtype, [4]))
  const y = g.op('Conv', [x, W, b], { group: 2, pads: [1, 0, 1, 1], strides: [1, 2] })
  const pooled = g.op('Flatten', [g.op('GlobalMaxPool', [g.op('Relu', [y])])], { axis: 1 })
  const loss = g.op('ReduceMean', [g.op('Mul', [pooled, pooled])], { keepdims: 0 })
  return { graph: g.output(loss).build(), loss, params: g.paramValues() }
}

async function bothWays(engine: Engine, graph: Graph, loss: string, requests: Record<string, TensorData>[], wrt = ['W1', 'b1', 'W2', 'b2']) {
  const plain = await engine.compile(graph)
  const alone = []
  for (const f of requests) alone.push(await plain.valueAndGrad!(f, loss, wrt))
  let calls = 0
  const counting: Engine = { ...engine, compile: async (gr) => {
    const c = await engine.compile(gr)
    return { ...c, valueAndGrad: (...a: Parameters<NonNullable<typeof c.valueAndGrad>>) => (calls++, c.valueAndGrad!(...a)) }
  } }
  const batched = await batching(counting).compile(graph)
  const together = await concurrently(requests.length, (i) => batched.valueAndGrad!(requests[i]!, loss, wrt))
  return { alone, together, calls }
}

describe('replicate + batching', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: each replica's loss and gradients equal the one-by-one call`, async () => {
      const engine = createReferenceEngine(dtype)
      const net = regression(dtype, new Rng(1))
      const requests = Array.from({ length: 7 }, (_, i) => ({ ...feedsOf(dtype, new Rng(10 + i)), ...regression(dtype, new Rng(100 + i)).params }))
      const { alone, together, calls } = await bothWays(engine, net.graph, net.loss, requests)
      expect(calls).toBe(3) // seven trials: one batched call, and the declared graph for the first and the last to check it
      const tol = dtype === 'float32' ? 1e-6 : 1e-14
      together.forEach((t, r) => {
        expect(Math.abs(t.value - alone[r]!.value)).toBeLessThanOrEqual(tol * Math.abs(alone[r]!.value))
        for (const [w, g] of Object.entries(t.grads)) {
          expect(g.shape).toEqual(alone[r]!.grads[w]!.shape)
          Array.from(g.data as Float32Array).forEach((v, k) => expect(Math.abs(v - Number(alone[r]!.grads[w]!.data[k]))).toBeLessThanOrEqual(tol * (1 + Math.abs(v))))
        }
      })
    })
  }

  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: a grouped Conv (replicated per count, as one Conv over the replicas' channels) equals the one-by-one call`, async () => {
      const net = convNet(dtype, new Rng(1))
      const requests = Array.from({ length: 5 }, (_, i) => ({ x: randomTensor(new Rng(20 + i), dtype, [3, 2, 5, 5]), ...convNet(dtype, new Rng(200 + i)).params }))
      const { alone, together, calls } = await bothWays(createReferenceEngine(dtype), net.graph, net.loss, requests, ['W', 'b'])
      expect(calls).toBe(3)
      const tol = dtype === 'float32' ? 1e-6 : 1e-14
      together.forEach((t, r) => {
        expect(Math.abs(t.value - alone[r]!.value)).toBeLessThanOrEqual(tol * Math.abs(alone[r]!.value))
        for (const [w, g] of Object.entries(t.grads)) Array.from(g.data as Float32Array).forEach((v, k) => expect(Math.abs(v - Number(alone[r]!.grads[w]!.data[k]))).toBeLessThanOrEqual(tol * (1 + Math.abs(v))))
      })
      expect(() => replicate(net.graph)).toThrow(/Conv node .*needs the replica count/)
    })
  }

  it('an engine whose grouped Conv mixes the replicas up (every group reads group 0) is caught and its trials run one by one', async () => {
    const base = createReferenceEngine('float64')
    // broken only where the rewrite goes: a Conv with R·2 groups (convNet's 2 per replica) reads the
    // first replica's 2 channels for every replica, so replica 0 comes out right and the others do not
    const mixing: Engine = { ...base, compile: async (graph) => {
      const conv = graph.nodes.find((n) => n.op === 'Conv' && ((n.attrs?.['group'] as number | undefined) ?? 1) > 2)
      if (!conv) return base.compile(graph)
      const [R, C] = [(conv.attrs!['group'] as number) / 2, 2]
      const first = `${conv.inputs[0]}:first`
      const i64 = (v: number[]): TensorData => ({ dtype: 'int64', shape: [v.length], data: BigInt64Array.from(v.map(BigInt)) })
      const nodes = graph.nodes.flatMap((n) => n !== conv ? [n] : [
        { op: 'Slice', inputs: [n.inputs[0]!, 'mix:s', 'mix:e', 'mix:a'], outputs: [first] },
        { op: 'Concat', inputs: Array<string>(R).fill(first), outputs: [`${first}:all`], attrs: { axis: 1 } },
        { ...n, inputs: [`${first}:all`, ...n.inputs.slice(1)] },
      ])
      return base.compile({ ...graph, nodes, initializers: { ...graph.initializers, 'mix:s': i64([0]), 'mix:e': i64([C]), 'mix:a': i64([1]) } })
    } }
    const net = convNet('float64', new Rng(1))
    const requests = Array.from({ length: 4 }, (_, i) => ({ x: randomTensor(new Rng(30 + i), 'float64', [3, 2, 5, 5]), ...convNet('float64', new Rng(300 + i)).params }))
    const alone: ValueAndGrad[] = []
    const plain = await base.compile(net.graph)
    for (const f of requests) alone.push(await plain.valueAndGrad!(f, net.loss, ['W', 'b']))
    const notes: string[] = []
    const c = await batching(mixing, (m) => notes.push(m)).compile(net.graph)
    const together = await concurrently(requests.length, (i) => c.valueAndGrad!(requests[i]!, net.loss, ['W', 'b']))
    expect(notes.join('\n')).toMatch(/disagree on this engine, so the trials ran the declared graph one by one/)
    together.forEach((t, r) => expect(t.value).toBe(alone[r]!.value))
  })

  it('refuses ops it has no rule for, naming the node', () => {
    const g = new GraphBuilder('float32')
    const x = g.input('x', [1, 2, 4, 4])
    g.output(g.op('MaxPool', [x], { kernel_shape: [2, 2] }, 'pool'))
    expect(() => replicate(g.build())).toThrow(NotReplicable)
    expect(() => replicate(g.build())).toThrow(/MaxPool node "pool"/)
  })

  it('an engine error inside a batch reaches the trial unchanged (calls fall back to one by one)', async () => {
    const base = createReferenceEngine('float32')
    const failing: Engine = { ...base, compile: async (gr) => ({ ...(await base.compile(gr)), valueAndGrad: async () => Promise.reject(new Error('adapter broke')) }) }
    const net = regression('float32', new Rng(1))
    const c = await batching(failing).compile(net.graph)
    await expect(concurrently(3, () => c.valueAndGrad!({ ...feedsOf('float32', new Rng(2)), ...net.params }, net.loss, ['W1']))).rejects.toThrow('adapter broke')
  })
})

describe('the batched rewrite is checked against the declared graph', () => {
  it('an engine whose batched MatMul differs from its Gemm: the trials get the declared graph’s answers, and the note says why', async () => {
    const ref = createReferenceEngine('float32')
    // right on the declared graph (Gemm), wrong on the rewrite (rank-3 MatMul scaled by 1.1)
    const skewed: Engine = {
      ...ref,
      compile: async (g) => {
        const rank3 = g.nodes.some((n) => n.op === 'MatMul' && n.inputs.some((i) => g.inputs.find((x) => x.name === i)?.shape[0] === 'R'))
        const c = await ref.compile(g)
        if (!rank3) return c
        return { ...c, valueAndGrad: async (f, of, wrt) => {
          const r = await c.valueAndGrad!(f, of, wrt)
          return { value: r.value, grads: Object.fromEntries(Object.entries(r.grads).map(([k, t]) => [k, { ...t, data: (t.data as Float32Array).map((v) => 1.1 * v) }])) }
        } }
      },
    }
    const net = regression('float32', new Rng(1))
    const requests = Array.from({ length: 3 }, (_, i) => ({ ...feedsOf('float32', new Rng(10 + i)), ...regression('float32', new Rng(100 + i)).params }))
    const notes: string[] = []
    const batched = await batching(skewed, (m) => notes.push(m)).compile(net.graph)
    const wrt = ['W1', 'b1', 'W2', 'b2']
    const got = await concurrently(3, (i) => batched.valueAndGrad!(requests[i]!, net.loss, wrt))
    const plain = await ref.compile(net.graph)
    for (let i = 0; i < 3; i++) expect(got[i]!.grads['W1']!.data).toEqual((await plain.valueAndGrad!(requests[i]!, net.loss, wrt)).grads['W1']!.data)
    expect(notes.join()).toMatch(/batched (loss \S+|∂\S+) = \S+ but the declared graph gives .*the declared graph \(Gemm\) and its batched rewrite \(.*MatMul.*\) disagree on this engine, so the trials ran the declared graph one by one/)
  })
})
