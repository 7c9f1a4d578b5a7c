// Experiments of the regularization claims.
import { perClaim, requireGrad, type ClaimContext } from '../../harness/claim.ts'
import type { Compiled, TensorData } from '../../contract/types.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { addLosses, l2Penalty, mlp, mseLoss, type Activation } from '../../harness/layers.ts'
import { Rng } from '../../contract/rng.ts'
import { randomTensor, td, values } from '../../harness/tensors.ts'
import { predict, trainCompiled } from '../../harness/train.ts'
import { accuracy, gini, patterns, XOR } from './capacity.ts'

/** A dense net with loss = MSE (+ L2 on its weights when λ > 0), compiled once per claim run and shape. */
interface Net {
  c: Compiled
  out: string
  loss: string
  params: (rng: Rng) => Record<string, TensorData>
  weights: string[]
}
function net(ctx: ClaimContext, sizes: number[], act: Activation, outAct: Activation, n: number, lambda: number): Promise<Net> {
  return perClaim(ctx, `regularization/${sizes}/${act}/${outAct}/${n}/${lambda}`, async () => {
    const build = (rng: Rng) => {
      const g = new GraphBuilder(ctx.dtype)
      const x = g.input('x', [n, sizes[0]!])
      const y = g.input('y', [n, sizes.at(-1)!])
      const { out, layers } = mlp(g, x, sizes, { act, outAct, rng })
      const data = mseLoss(g, out, y)
      const loss = lambda > 0 ? addLosses(g, data, l2Penalty(g, layers.map((l) => l.W), lambda)) : data
      return { g: g.output(loss, out, data), out, loss, data, weights: layers.map((l) => l.W) }
    }
    const proto = build(new Rng(0)) // only its structure is used: every run brings its own seeded params
    return { c: await ctx.engine.compile(proto.g.build()), out: proto.out, loss: proto.loss, params: (rng: Rng) => build(rng).g.paramValues(), weights: proto.weights }
  })
}

export async function l2Step(ctx: ClaimContext, seed: number, lambda: number, lr: number) {
  const rng = new Rng(seed)
  const [plain, reg] = [await net(ctx, [2, 2, 1], 'Tanh', 'Identity', 4, 0), await net(ctx, [2, 2, 1], 'Tanh', 'Identity', 4, lambda)]
  requireGrad(plain.c)
  requireGrad(reg.c)
  const params = plain.params(rng)
  const feeds = { x: randomTensor(rng, ctx.dtype, [4, 2]), y: randomTensor(rng, ctx.dtype, [4, 1]) }
  const names = Object.keys(params)
  const gPlain = (await plain.c.valueAndGrad({ ...feeds, ...params }, plain.loss, names)).grads
  const gReg = (await reg.c.valueAndGrad({ ...feeds, ...params }, reg.loss, names)).grads
  const W = values(params['W1']!)
  const penaltyGrad = values(gReg['W1']!).map((v, i) => v - values(gPlain['W1']!)[i]!)
  const stepWithPenalty = W.map((w, i) => w - lr * values(gReg['W1']!)[i]!)
  const decayed = W.map((w, i) => (1 - lr * lambda) * w - lr * values(gPlain['W1']!)[i]!)
  let optimizerStep: number[] | Error | undefined
  try {
    const opt = ctx.engine.optimizer?.({ rule: 'sgd', lr, params: { weightDecay: lambda } })
    optimizerStep = opt ? values(opt.step({ W1: params['W1']! }, { W1: gPlain['W1']! })['W1']!) : undefined
  } catch (e) {
    optimizerStep = e instanceof Error ? e : new Error(String(e)) // judged by the claim: a failing part, not a silent pass
  }
  return { penaltyGrad, lambdaW: W.map((w) => lambda * w), stepWithPenalty, decayed, optimizerStep }
}

/** Gini of |W2| and the weights' norm after training 2-4-1 on XOR with L2 λ, or undefined if XOR is not solved. */
export async function xorGini(ctx: ClaimContext, rng: Rng, lambda: number): Promise<{ gini: number; norm: number } | undefined> {
  const m = await net(ctx, [2, 4, 1], 'Sigmoid', 'Sigmoid', 4, lambda)
  const feeds = { x: td(ctx.dtype, [4, 2], patterns(2).flat()), y: td(ctx.dtype, [4, 1], XOR) }
  const r = await trainCompiled(m.c, { feeds, params: m.params(rng), loss: m.loss, lr: 5, steps: 1000, curveEvery: 1e9 })
  const p = await predict(m.c, { ...feeds, ...r.params }, m.out)
  if (accuracy(p, XOR) !== 1) return undefined
  return { gini: gini(values(r.params['W2']!)), norm: Math.hypot(...m.weights.flatMap((w) => values(r.params[w]!))) }
}

export async function dropoutRun(ctx: ClaimContext, p: number, n: number) {
  const x = Array.from({ length: n }, (_, i) => 1 + (i % 8) / 8) // exact in float32, so inference can be compared exactly
  const run = async (training: boolean, seed = ctx.seed % 100_000) => {
    const g = new GraphBuilder(ctx.dtype)
    const inp = g.input('x', [n])
    const consts = [g.const('ratio', td(ctx.dtype, [], [p])), g.const('training', { dtype: 'bool', shape: [], data: Uint8Array.of(training ? 1 : 0) })]
    const y = g.op('Dropout', [inp, ...consts], { seed })
    const c = await ctx.engine.compile(g.output(y).build())
    return values((await c.run({ x: td(ctx.dtype, [n], x) }))[y]!)
  }
  const out = await run(true)
  const kept = out.map((v, i) => v / x[i]!).filter((s) => s !== 0)
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length
  const sd = Math.sqrt(mean(x.map((v) => v * v)) * (p / (1 - p)))
  const zeroAt = (parity: number) => out.filter((v, i) => i % 2 === parity && v === 0).length / (n / 2)
  const other = await run(true, 1 + (ctx.seed % 100_000))
  const sameMaskOtherSeed = out.filter((v, i) => (v === 0) === (other[i] === 0)).length / n
  return { zeroFraction: 1 - kept.length / n, zeroEven: zeroAt(0), zeroOdd: zeroAt(1), sameMaskOtherSeed, survivorScale: kept, meanIn: mean(x), meanOut: mean(out), meanSe: sd / Math.sqrt(n), inference: await run(false), input: x }
}

/**
 * Train MSE and fresh-data MSE of an over-parameterized net (1-16-1 tanh, 49 parameters) fitted to 5
 * noisy samples of sin, with and without L2; the fresh set (125 samples) is fed in batches of 5.
 */
export async function overfit(ctx: ClaimContext, rng: Rng) {
  const N = 5
  const sample = (k: number) => {
    const xs = Array.from({ length: k }, () => rng.uniform(-3, 3))
    return { xs, ys: xs.map((v) => Math.sin(v) + rng.normal(0, 0.3)) }
  }
  const [train, fresh] = [sample(N), sample(25 * N)]
  const init = rng.fork('init')
  const result = async (lambda: number) => {
    const m = await net(ctx, [1, 16, 1], 'Tanh', 'Identity', N, lambda)
    const feeds = (d: typeof train, i: number) => ({ x: td(ctx.dtype, [N, 1], d.xs.slice(i, i + N)), y: td(ctx.dtype, [N, 1], d.ys.slice(i, i + N)) })
    const r = await trainCompiled(m.c, { feeds: feeds(train, 0), params: m.params(init.fork('params')), loss: m.loss, lr: 0.15, steps: 1000, curveEvery: 1e9 })
    const mse = async (d: typeof train) => {
      let s = 0
      for (let i = 0; i < d.xs.length; i += N) s += (await predict(m.c, { ...feeds(d, i), ...r.params }, m.out)).reduce((a, v, j) => a + (v - d.ys[i + j]!) ** 2, 0)
      return s / d.xs.length
    }
    // r.losses[0]: the loss before training (the control compares with it)
    return { train: await mse(train), test: await mse(fresh), initial: r.losses[0]! }
  }
  return { plain: await result(0), l2: await result(3e-3) }
}
