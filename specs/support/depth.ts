// Deep stacks: input-gradient norms by depth, residual blocks, training speed by activation.
import type { ClaimContext } from '../../harness/claim.ts'
import { requireGrad } from '../../harness/claim.ts'
import type { TensorData } from '../../contract/types.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { dense, gaussian, glorotUniform, heNormal, mlp, mseLoss, residualBlock, weights, type Activation, type Init } from '../../harness/layers.ts'
import { Rng } from '../../contract/rng.ts'
import { randomTensor, td, values } from '../../harness/tensors.ts'
import { trainCompiled } from '../../harness/train.ts'
import { concurrently } from '../../harness/batching.ts'

const W = 16
const DEPTHS = [2, 4, 8, 16]
const norm = (v: number[]) => Math.hypot(...v)
const frob = (t: TensorData) => norm(values(t))

function slope(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length
  const my = ys.reduce((a, b) => a + b, 0) / ys.length
  return xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0)
}

/** ‖∂(r·h_n)/∂x‖ for stacks of depth n (no biases), and the (1/4)ⁿ∏‖W‖ bound for sigmoid. */
async function gradNorms(ctx: ClaimContext, act: Activation, init: Init, rng: Rng) {
  const seed = rng.int(2 ** 31)
  const byDepth: { depth: number; norm: number; bound: number }[] = []
  for (const n of DEPTHS) {
    const r = new Rng(seed) // the first layers are the same at every depth
    const g = new GraphBuilder(ctx.dtype)
    const x = g.input('x', [1, W])
    let h = x
    let prod = 1
    for (let l = 0; l < n; l++) {
      const Wl = weights(ctx.dtype, r, W, W, init)
      prod *= frob(Wl)
      h = dense(g, h, g.const(`W${l}`, Wl), undefined, act, `l${l}`)
    }
    const rv = randomTensor(r, ctx.dtype, [1, W])
    const l = g.op('ReduceSum', [g.op('Mul', [h, g.const('r', rv)])], { keepdims: 0 })
    const c = await ctx.engine.compile(g.output(l).build())
    requireGrad(c)
    const gx = values((await c.valueAndGrad({ x: randomTensor(r, ctx.dtype, [1, W]) }, l, ['x'])).grads['x']!)
    byDepth.push({ depth: n, norm: norm(gx), bound: 0.25 ** n * prod * frob(rv) })
  }
  return { byDepth, slope: slope(DEPTHS, byDepth.map((d) => Math.log(d.norm + 1e-300))) }
}

export const inputGradient = (ctx: ClaimContext, act: 'Sigmoid' | 'Relu', rng: Rng) => gradNorms(ctx, act, act === 'Relu' ? heNormal : glorotUniform, rng)
/** Log-slope of the input-gradient norm with depth in a linear stack with Gaussian weights of std `gain`/√W (gain 1: critical). */
export const linearStackSlope = async (ctx: ClaimContext, rng: Rng, gain: number) => (await gradNorms(ctx, 'Identity', gaussian(gain / Math.sqrt(W)), rng)).slope

/** One SGD step with clipNorm c = 1 (lr 0.1) on a huge gradient: the step, and the gradient it came from. */
export async function clippedStep(ctx: ClaimContext) {
  const opt = ctx.engine.optimizer!({ rule: 'sgd', lr: 0.1, params: { clipNorm: 1 } })
  const g = Array.from({ length: W }, (_, i) => 1e6 * (i + 1))
  const out = values(opt.step({ w: td(ctx.dtype, [W], new Array<number>(W).fill(0)) }, { w: td(ctx.dtype, [W], g) })['w']!)
  // the clipped step is −lr·c·g/‖g‖: norm lr·c, direction −g
  return { step: out, want: g.map((v) => (-0.1 * v) / norm(g)), norm: norm(out), bound: 0.1 }
}

/** Residual blocks with zero last layer: exact identity and exact gradient; plain tanh stack for contrast. */
export async function residualCheck(ctx: ClaimContext, rng: Rng) {
  const blocks = 20
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [2, W])
  let h = x
  for (let i = 0; i < blocks; i++) {
    const [W1, b1] = [g.const(`W1_${i}`, weights(ctx.dtype, rng, W, W)), g.const(`b1_${i}`, randomTensor(rng, ctx.dtype, [W]))]
    const [W2, b2] = [g.const(`W2_${i}`, td(ctx.dtype, [W, W], new Array<number>(W * W).fill(0))), g.const(`b2_${i}`, td(ctx.dtype, [W], new Array<number>(W).fill(0)))]
    h = residualBlock(g, h, W1, b1, W2, b2, 'Relu', `block${i}`)
  }
  const r = randomTensor(rng, ctx.dtype, [2, W])
  const l = g.op('ReduceSum', [g.op('Mul', [h, g.const('r', r)])], { keepdims: 0 })
  const xv = randomTensor(rng, ctx.dtype, [2, W])
  const c = await ctx.engine.compile(g.output(l, h).build())
  requireGrad(c)
  const out = values((await c.run({ x: xv }))[h]!)
  const gx = values((await c.valueAndGrad({ x: xv }, l, ['x'])).grads['x']!)
  const identityMaxDiff = Math.max(...out.map((v, i) => Math.abs(v - values(xv)[i]!)))
  const gradMaxDiff = Math.max(...gx.map((v, i) => Math.abs(v - values(r)[i]!)))
  // plain stack: 20 tanh layers at the suite's default (and for tanh critical) Glorot-uniform init, no skips
  const p = new GraphBuilder(ctx.dtype)
  let z = p.input('x', [2, W])
  for (let i = 0; i < blocks; i++) z = dense(p, z, p.const(`W${i}`, weights(ctx.dtype, rng, W, W, glorotUniform)), undefined, 'Tanh', `plain${i}`)
  const lp = p.op('ReduceSum', [p.op('Mul', [z, p.const('r', r)])], { keepdims: 0 })
  const cp = await ctx.engine.compile(p.output(lp).build())
  requireGrad(cp)
  const gp = values((await cp.valueAndGrad({ x: xv }, lp, ['x'])).grads['x']!)
  return { identityMaxDiff, gradMaxDiff, plainRatio: norm(gp) / norm(values(r)) }
}

/** Steps to MSE < 0.02 for ReLU vs sigmoid 5-layer MLPs, each at its best lr from a grid. */
export async function stepsToTarget(ctx: ClaimContext, n: number) {
  const data = new Rng(99)
  const xs = Array.from({ length: 32 }, () => data.uniform(-1, 1))
  const ys = Array.from({ length: 16 }, (_, i) => 0.5 + 0.4 * Math.sin(3 * xs[2 * i]!) * Math.cos(2 * xs[2 * i + 1]!))
  const feedsFor = (x: string, y: string) => ({ [x]: td(ctx.dtype, [16, 2], xs), [y]: td(ctx.dtype, [16, 1], ys) })
  const nets = new Map<Activation, { c: Awaited<ReturnType<typeof ctx.engine.compile>>; loss: string; params: (rng: Rng) => Record<string, TensorData>; feeds: Record<string, TensorData> }>()
  for (const act of ['Relu', 'Sigmoid'] as Activation[]) {
    const build = (rng: Rng) => {
      const g = new GraphBuilder(ctx.dtype)
      const [x, y] = [g.input('x', [16, 2]), g.input('y', [16, 1])]
      const { out } = mlp(g, x, [2, 8, 8, 8, 8, 1], { act, rng })
      return { g, loss: mseLoss(g, out, y), x, y }
    }
    const b = build(new Rng(0))
    nets.set(act, { c: await ctx.engine.compile(b.g.output(b.loss).build()), loss: b.loss, params: (rng) => build(rng).g.paramValues(), feeds: feedsFor(b.x, b.y) })
  }
  const steps = async (act: Activation, lr: number, seed: number) => {
    const m = nets.get(act)!
    const r = await trainCompiled(m.c, { feeds: m.feeds, params: m.params(new Rng(seed)), loss: m.loss, lr, steps: 300, every: 10, curveEvery: 1e9, until: (l) => l < 0.02 })
    return r.finalLoss < 0.02 ? r.steps : Infinity
  }
  const grid = [0.03, 0.1, 0.3, 1]
  const best: Record<string, number> = {}
  for (const act of ['Relu', 'Sigmoid'] as Activation[]) {
    let [bestLr, bestMedian] = [grid[0]!, Infinity]
    for (const lr of grid) {
      const s = await concurrently(5, (k) => steps(act, lr, 10_000 + k))
      const med = s.sort((a, b) => a - b)[2]!
      if (med < bestMedian) [bestLr, bestMedian] = [lr, med]
    }
    best[act] = bestLr
  }
  const runs = await concurrently(n, async (i) => {
    const seed = ctx.rng.fork(`seed-${i}`).int(2 ** 31)
    return { Relu: await steps('Relu', best['Relu']!, seed), Sigmoid: await steps('Sigmoid', best['Sigmoid']!, seed) }
  })
  const tally = { successes: runs.filter((r) => r.Relu < r.Sigmoid).length, n }
  const all = { Relu: runs.map((r) => r.Relu), Sigmoid: runs.map((r) => r.Sigmoid) }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!
  return { tally, evidence: { bestLearningRate: best, medianSteps: { relu: median(all.Relu), sigmoid: median(all.Sigmoid) }, stepBudget: 300 } }
}
