// The stroke detector experiment (cnn.corner-stroke-example) and the dense-permutation check.
import type { ClaimContext } from '../../harness/claim.ts'
import type { Compiled, TensorData } from '../../contract/types.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { bceWithLogits, weights } from '../../harness/layers.ts'
import type { Rng } from '../../contract/rng.ts'
import { trials } from '../../harness/stats.ts'
import { randomTensor, td, values } from '../../harness/tensors.ts'
import { predict, trainCompiled } from '../../harness/train.ts'
import { testSet, trainingSet } from '../../fixtures/stroke.ts'
import type { Img } from './images.ts'

const N = 30 // training examples (15 strokes, 15 non-strokes)

function model(ctx: ClaimContext, kind: 'conv' | 'mlp', rng: Rng) {
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [N, 1, 4, 4])
  const y = g.input('y', [N, 1])
  let logit: string
  if (kind === 'conv') {
    const W = g.param('W', randomTensor(rng, ctx.dtype, [1, 1, 2, 2], 0, 1))
    const b = g.param('b', td(ctx.dtype, [1], [0]))
    const pooled = g.op('GlobalMaxPool', [g.op('Conv', [x, W, b], { kernel_shape: [2, 2] })])
    logit = g.op('Flatten', [pooled], { axis: 1 })
  } else {
    const h = g.op('Sigmoid', [g.op('Gemm', [g.op('Flatten', [x], { axis: 1 }), g.param('W1', weights(ctx.dtype, rng, 16, 4)), g.param('b1', td(ctx.dtype, [4], [0, 0, 0, 0]))])])
    logit = g.op('Gemm', [h, g.param('W2', weights(ctx.dtype, rng, 4, 1)), g.param('b2', td(ctx.dtype, [1], [0]))])
  }
  const out = g.op('Sigmoid', [logit])
  const loss = bceWithLogits(g, logit, y)
  return { graph: g.output(loss, out).build(), params: g.paramValues(), out, loss }
}

/** Predictions for any number of images, in chunks of the compiled batch size. */
async function predictAll(c: Compiled, d: { xs: number[][]; ys: number[] }, params: Record<string, TensorData>, out: string, dtype = params[Object.keys(params)[0]!]!.dtype as 'float32' | 'float64'): Promise<number[]> {
  const res: number[] = []
  for (let k = 0; k < d.xs.length; k += N) {
    const chunk = d.xs.slice(k, k + N)
    const pad = [...chunk, ...Array.from({ length: N - chunk.length }, () => chunk[0]!)]
    const p = await predict(c, { x: td(dtype, [N, 1, 4, 4], pad.flat()), y: td(dtype, [N, 1], new Array<number>(N).fill(0)), ...params }, out)
    res.push(...p.slice(0, chunk.length))
  }
  return res
}

export async function strokeExperiment(ctx: ClaimContext, n: number) {
  const compiled = { conv: await ctx.engine.compile(model(ctx, 'conv', ctx.rng).graph), mlp: await ctx.engine.compile(model(ctx, 'mlp', ctx.rng).graph) }
  const feedsOf = (d: { xs: number[][]; ys: number[] }): Record<string, TensorData> => ({ x: td(ctx.dtype, [N, 1, 4, 4], d.xs.flat()), y: td(ctx.dtype, [N, 1], d.ys) })
  const positions = { conv: 0, mlp: 0 }
  /** Among the runs that fit their training set: how many also classify the whole test set. */
  const run = async (kind: 'conv' | 'mlp') => {
    const generalized = { successes: 0, n: 0 }
    await trials(ctx, n, async (rng, i) => {
      const m = model(ctx, kind, rng)
      const train = trainingSet(i)
      const r = await trainCompiled(compiled[kind], { feeds: feedsOf(train), params: m.params, loss: m.loss, lr: 1, steps: 300, curveEvery: 1e9 })
      const fits = (await predictAll(compiled[kind], train, r.params, m.out)).every((v, k) => (v > 0.5 ? 1 : 0) === train.ys[k])
      if (!fits) return false
      const test = testSet(i)
      const p = await predictAll(compiled[kind], test, r.params, m.out)
      positions[kind] += p.slice(0, test.positions).filter((v) => v > 0.5).length
      generalized.n++
      if (p.every((v, k) => (v > 0.5 ? 1 : 0) === test.ys[k])) generalized.successes++
      return true
    })
    return generalized
  }
  const conv = await run('conv')
  const mlp = await run('mlp')
  return { conv, mlp, meanPositions: { conv: positions.conv / Math.max(1, conv.n), mlp: positions.mlp / Math.max(1, mlp.n) } }
}

/** Dense_W(x) and Dense_{πW}(πx) for a pixel permutation π of the flattened image. */
export async function denseUnderPermutation(ctx: ClaimContext, x: Img, perm: number[], rng: Rng) {
  const n = x.v.length
  const W = values(randomTensor(rng, 'float64', [n, 3]))
  const Wp = perm.flatMap((p) => W.slice(p * 3, p * 3 + 3))
  const run = async (xv: number[], w: number[]) => {
    const g = new GraphBuilder(ctx.dtype)
    const y = g.op('Gemm', [g.input('x', [1, n]), g.const('W', td(ctx.dtype, [n, 3], w))])
    const c = await ctx.engine.compile(g.output(y).build())
    return values((await c.run({ x: td(ctx.dtype, [1, n], xv) }))[y]!)
  }
  return { original: await run(x.v, W), permuted: await run(perm.map((p) => x.v[p]!), Wp) }
}
