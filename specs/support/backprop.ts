// Small smooth networks and the measurements the descent-direction and second-order claims read.
import { expectClose, tolerance } from '../../harness/assert.ts'
import type { ClaimContext } from '../../harness/claim.ts'
import { requireGrad } from '../../harness/claim.ts'
import type { Compiled, FloatDType, Graph, TensorData } from '../../contract/types.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { weightedSum } from '../../harness/scalarize.ts'
import { hasOps, type Supports } from '../../harness/supports.ts'
import { mlp, mseLoss, type Activation } from '../../harness/layers.ts'
import { Rng } from '../../contract/rng.ts'
import { castFeeds, castGraph, randomTensor, values } from '../../harness/tensors.ts'

export interface SmoothNet {
  graph: Graph
  feeds: Record<string, TensorData>
  params: Record<string, TensorData>
  loss: string
}

/**
 * A 3-h-1 MLP with a smooth activation and MSE on 4 random examples. On an engine without the MSE's
 * ops (`engine` says), the loss is a fixed random linear functional Σ r ⊙ out written with its ops:
 * as smooth, and not what the claims using it are about.
 */
export function smoothNet(dtype: FloatDType, seed: number, hidden: number, act: string, engine?: Supports): SmoothNet {
  const rng = new Rng(seed)
  const g = new GraphBuilder(dtype)
  const x = g.input('x', [4, 3])
  const mse = !engine || hasOps(engine, 'Sub', 'Mul', 'ReduceMean')
  const y = mse ? g.input('y', [4, 1]) : ''
  const { out } = mlp(g, x, [3, hidden, 1], { act: act as Activation, rng })
  const feeds = { x: randomTensor(rng, dtype, [4, 3]) }
  const target = randomTensor(rng, dtype, [4, 1])
  const loss = mse ? mseLoss(g, out, y) : weightedSum(g, [{ name: out, shape: [4, 1], r: target }], engine!).loss
  return { graph: g.output(loss).build(), feeds: mse ? { ...feeds, y: target } : feeds, params: g.paramValues(), loss }
}

const flat = (ps: Record<string, TensorData>) => Object.values(ps).flatMap(values)
const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0))

/** params + s·dir, in `dtype`, dir given per parameter. */
function moved(ps: Record<string, TensorData>, dir: Record<string, number[]>, s: number, dtype: FloatDType): Record<string, TensorData> {
  return Object.fromEntries(
    Object.entries(ps).map(([k, t]) => {
      const d = values(t).map((v, i) => v + s * dir[k]![i]!)
      return [k, { dtype, shape: [...t.shape], data: dtype === 'float32' ? Float32Array.from(d) : Float64Array.from(d) }]
    }),
  )
}

async function lossAt(c: Compiled, feeds: Record<string, TensorData>, params: Record<string, TensorData>, loss: string): Promise<number> {
  return values((await c.run({ ...feeds, ...params }))[loss]!)[0]!
}

export async function directional(ctx: ClaimContext, net: SmoothNet) {
  const c = await ctx.engine.compile(net.graph)
  requireGrad(c)
  const { value, grads } = await c.valueAndGrad({ ...net.feeds, ...net.params }, net.loss, Object.keys(net.params))
  const g = Object.fromEntries(Object.entries(grads).map(([k, t]) => [k, values(t)]))
  const gradNorm = norm(Object.values(g).flat())
  const step = 0.01 / Math.max(1, gradNorm)
  const lossAfterStep = await lossAt(c, net.feeds, moved(net.params, g, -step, ctx.dtype), net.loss)
  // float64 central differences of the float64 reference's loss, at the same parameters
  const ref = await (await ctx.reference()).compile(castGraph(net.graph, 'float64'))
  const f64Feeds = castFeeds(net.feeds, 'float64')
  const along = async (dir: Record<string, number[]>) => {
    const h = 1e-6
    const [p, m] = [await lossAt(ref, f64Feeds, moved(net.params, dir, h, 'float64'), net.loss), await lossAt(ref, f64Feeds, moved(net.params, dir, -h, 'float64'), net.loss)]
    return (p - m) / (2 * h)
  }
  // the float64 reference's gradient norm decides what is a flat spot (never the engine's own gradient)
  const refGrad = (await ref.valueAndGrad!({ ...f64Feeds, ...castFeeds(net.params, 'float64') }, net.loss, Object.keys(net.params))).grads
  const refNorm = norm(Object.values(refGrad).flatMap(values))
  let bestRandom = -Infinity
  for (let k = 0; k < 5; k++) {
    const u = Object.fromEntries(Object.entries(g).map(([n, v]) => [n, v.map(() => ctx.rng.normal())]))
    const len = norm(Object.values(u).flat())
    bestRandom = Math.max(bestRandom, await along(Object.fromEntries(Object.entries(u).map(([n, v]) => [n, v.map((x) => x / len)]))))
  }
  return { loss: value, lossAfterStep, step, gradNorm, refNorm, alongGradient: await along(g), bestRandom, size: flat(net.params).length }
}

export async function hvpCheck(ctx: ClaimContext, net: SmoothNet, c: Compiled): Promise<void> {
  const names = Object.keys(net.params)
  const v = Object.fromEntries(names.map((n) => [n, randomTensor(ctx.rng, ctx.dtype, [...net.params[n]!.shape])]))
  const hv = await c.hessianVectorProduct!({ ...net.feeds, ...net.params }, net.loss, names, v)
  let want: Record<string, TensorData>
  if (ctx.dtype === 'float64') {
    requireGrad(c)
    const h = 1e-5
    const dir = Object.fromEntries(names.map((n) => [n, values(v[n]!)]))
    const gAt = async (s: number) => (await c.valueAndGrad({ ...net.feeds, ...moved(net.params, dir, s, 'float64') }, net.loss, names)).grads
    const [gp, gm] = [await gAt(h), await gAt(-h)]
    want = Object.fromEntries(names.map((n) => [n, { dtype: 'float64', shape: [...gp[n]!.shape], data: Float64Array.from(values(gp[n]!), (p, i) => (p - values(gm[n]!)[i]!) / (2 * h)) }]))
  } else {
    const ref = await (await ctx.reference()).compile(castGraph(net.graph, 'float64'))
    const f64 = (ts: Record<string, TensorData>) => castFeeds(ts, 'float64')
    want = await ref.hessianVectorProduct!({ ...f64(net.feeds), ...f64(net.params) }, net.loss, names, f64(v))
  }
  const tol = ctx.dtype === 'float64' ? tolerance('float64', { gradient: true }) : tolerance('float32', { reduction: flat(net.params).length })
  for (const n of names) {
    expectClose(hv[n]!, want[n]!, { what: `Hessian-vector product ${n}`, oracle: ctx.dtype === 'float64' ? 'central differences of gradients' : 'reference-f64 Hessian-vector product', tol, replay: ctx.replay })
  }
}
