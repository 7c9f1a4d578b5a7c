// Maxout units and softmax rows as engine graphs, for the activation claims.
import type { ClaimContext } from '../../harness/claim.ts'
import type { Graph, TensorData } from '../../harness/contract.ts'
import type { GradCase } from '../../harness/gradcheck.ts'
import { evaluate } from '../../harness/evaluate.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { Rng } from '../../harness/rng.ts'
import { randomTensor, td } from '../../harness/tensors.ts'

/** max_k(x·W_k + b_k) for x [n, d]; pieces given as W [d, k] and b [k]. */
function maxoutGraph(g: GraphBuilder, x: string, W: string[], b: string[]): string {
  const pieces = W.map((w, k) => g.op('Gemm', [x, w, b[k]!], {}, `piece${k}`))
  return pieces.length === 1 ? pieces[0]! : g.op('Max', pieces, {}, 'maxout')
}

const run = async (ctx: ClaimContext, graph: Graph, feeds: Record<string, TensorData>): Promise<Record<string, number[]>> =>
  Object.fromEntries(Object.entries(await evaluate(ctx.engine, graph, feeds)).map(([k, o]) => [k, o.v]))

export async function maxoutValues(ctx: ClaimContext, c: { n: number; d: number; k: number; seed: number }) {
  const rng = new Rng(c.seed)
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [c.n, c.d])
  const W = Array.from({ length: c.k }, (_, k) => g.const(`W${k}`, k === 0 ? randomTensor(rng, ctx.dtype, [c.d, 1]) : td(ctx.dtype, [c.d, 1], new Array<number>(c.d).fill(0))))
  const b = Array.from({ length: c.k }, (_, k) => g.const(`b${k}`, td(ctx.dtype, [1], [k === 0 ? rng.uniform(-1, 1) : 0])))
  const m = maxoutGraph(g, x, W, b)
  const r = g.op('Relu', [g.op('Gemm', [x, W[0]!, b[0]!])])
  const out = await run(ctx, g.output(m, r).build(), { x: randomTensor(rng, ctx.dtype, [c.n, c.d], -2, 2) })
  return { maxout: out[m]!, relu: out[r]! }
}

/** Affine pieces (slope, intercept) of a function given by values at knots, one per interval. */
const secants = (t: number[], v: number[]) =>
  t.slice(1).map((_, i) => {
    const s = (v[i + 1]! - v[i]!) / (t[i + 1]! - t[i]!)
    return [s, v[i]! - s * t[i]!] as [number, number]
  })

/** One maxout unit of pieces evaluated on xs through the engine. */
async function maxoutOn(ctx: ClaimContext, pieces: [number, number][], xs: number[], tag: string): Promise<number[]> {
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [xs.length, 1])
  const W = pieces.map(([s], k) => g.const(`${tag}W${k}`, td(ctx.dtype, [1, 1], [s])))
  const b = pieces.map(([, c], k) => g.const(`${tag}b${k}`, td(ctx.dtype, [1], [c])))
  const m = maxoutGraph(g, x, W, b)
  return (await run(ctx, g.output(m).build(), { x: td(ctx.dtype, [xs.length, 1], xs) }))[m]!
}

/** A random convex PWL with k pieces (increasing slopes), evaluated by walking its breakpoints. */
export async function convexExact(ctx: ClaimContext, k: number, seed: number) {
  const rng = new Rng(seed)
  const slopes = Array.from({ length: k }, () => rng.uniform(-3, 3)).sort((a, b) => a - b)
  const breaks = Array.from({ length: k - 1 }, () => rng.uniform(-2, 2)).sort((a, b) => a - b)
  const pieces: [number, number][] = [[slopes[0]!, rng.uniform(-1, 1)]]
  for (let i = 1; i < k; i++) {
    const [s0, c0] = pieces[i - 1]!
    pieces.push([slopes[i]!, c0 + (s0 - slopes[i]!) * breaks[i - 1]!]) // continuous at the breakpoint
  }
  const f = (x: number) => {
    const i = breaks.filter((b) => x > b).length
    return pieces[i]![0] * x + pieces[i]![1]
  }
  const xs = Array.from({ length: 41 }, (_, i) => -3 + (6 * i) / 40)
  return { got: await maxoutOn(ctx, rng.shuffle([...pieces]), xs, 'c'), want: xs.map(f) }
}

/**
 * The PWL interpolant of sin with k pieces on [0, 2π], split into convex g and h (p = g − h) by
 * sorting its slope changes by sign; each is one maxout unit of its k secants.
 */
export async function sinApproxErrors(ctx: ClaimContext, ks: number[]): Promise<Record<number, number>> {
  const out: Record<number, number> = {}
  const grid = Array.from({ length: 401 }, (_, i) => (2 * Math.PI * i) / 400)
  for (const k of ks) {
    const t = Array.from({ length: k + 1 }, (_, i) => (2 * Math.PI * i) / k)
    const p = t.map(Math.sin)
    const slope = secants(t, p).map(([s]) => s)
    const gv = [p[0]!]
    const hv = [0]
    let [gs, hs] = [slope[0]!, 0]
    for (let i = 0; i < k; i++) {
      if (i > 0) {
        const jump = slope[i]! - slope[i - 1]!
        if (jump > 0) gs += jump
        else hs -= jump
      }
      gv.push(gv[i]! + gs * (t[i + 1]! - t[i]!))
      hv.push(hv[i]! + hs * (t[i + 1]! - t[i]!))
    }
    const [g, h] = [await maxoutOn(ctx, secants(t, gv), grid, 'g'), await maxoutOn(ctx, secants(t, hv), grid, 'h')]
    out[k] = Number(Math.max(...grid.map((x, i) => Math.abs(g[i]! - h[i]! - Math.sin(x)))).toPrecision(3))
  }
  return out
}

/** Σ r ⊙ softmax(x) along the last axis, for the gradient check. */
export function softmaxGradCase(ctx: ClaimContext, seed: number): GradCase {
  const rng = new Rng(seed)
  const [n, m] = [1 + rng.int(3), 2 + rng.int(5)]
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [n, m])
  const r = g.const('r', randomTensor(rng, ctx.dtype, [n, m]))
  const l = g.op('ReduceSum', [g.op('Mul', [g.op('Softmax', [x], { axis: -1 }), r])], { keepdims: 0 })
  return { graph: g.output(l).build(), feeds: { x: randomTensor(rng, ctx.dtype, [n, m], -3, 3) }, of: l, wrt: ['x'], what: 'Softmax' }
}

/** Σ r ⊙ maxout(x) with 3 random pieces; random inputs make ties a measure-zero event. */
export function maxoutGradCase(ctx: ClaimContext, seed: number): GradCase {
  const rng = new Rng(seed ^ 0x5eed)
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [4, 3])
  const W = [0, 1, 2].map((k) => g.const(`W${k}`, randomTensor(rng, ctx.dtype, [3, 2])))
  const b = [0, 1, 2].map((k) => g.const(`b${k}`, randomTensor(rng, ctx.dtype, [2])))
  const r = g.const('r', randomTensor(rng, ctx.dtype, [4, 2]))
  const l = g.op('ReduceSum', [g.op('Mul', [maxoutGraph(g, x, W, b), r])], { keepdims: 0 })
  return { graph: g.output(l).build(), feeds: { x: randomTensor(rng, ctx.dtype, [4, 3], -2, 2) }, of: l, wrt: ['x'], what: 'Max (maxout)' }
}

export async function softmaxRows(ctx: ClaimContext, c: { rows: number; cols: number; scale: number; shift: number; seed: number }) {
  const rng = new Rng(c.seed)
  const xs = Array.from({ length: c.rows * c.cols }, () => c.scale * rng.uniform(-1, 1))
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [c.rows, c.cols])
  const y = g.op('Softmax', [x], { axis: -1 })
  const graph = g.output(y).build()
  const rowsOf = (v: number[]) => Array.from({ length: c.rows }, (_, r) => v.slice(r * c.cols, (r + 1) * c.cols))
  const p = (await run(ctx, graph, { x: td(ctx.dtype, [c.rows, c.cols], xs) }))[y]!
  const shifted = (await run(ctx, graph, { x: td(ctx.dtype, [c.rows, c.cols], xs.map((v) => v + c.shift)) }))[y]!
  return { p: rowsOf(p), shifted: rowsOf(shifted) }
}
