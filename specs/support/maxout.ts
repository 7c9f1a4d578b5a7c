// Maxout units max_k(x·W_k + b_k), built from Gemm + the variadic ONNX Max, with their pieces given
// in closed form: no training, so every number here is a construction the reading can state.
import type { ClaimContext } from '../../harness/claim.ts'
import type { GradCase } from '../../harness/gradcheck.ts'
import { evaluate } from '../../harness/evaluate.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { weightedSum } from '../../harness/scalarize.ts'
import { Rng } from '../../contract/rng.ts'
import { randomTensor, td, values } from '../../harness/tensors.ts'
import { fed } from './activation.ts'

/** max_k(x·W_k + b_k) for x [n, d]; pieces given as W_k [d, units] and b_k [units]. */
function maxoutGraph(g: GraphBuilder, x: string, W: string[], b: string[]): string {
  const pieces = W.map((w, k) => g.op('Gemm', [x, w, b[k]!], {}, `piece${k}`))
  return pieces.length === 1 ? pieces[0]! : g.op('Max', pieces, {}, 'maxout')
}

/** One scalar maxout unit of affine pieces [slope, intercept], evaluated at xs by the engine. */
async function maxoutOn(ctx: ClaimContext, pieces: [number, number][], xs: number[]): Promise<number[]> {
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [xs.length, 1])
  const W = pieces.map(([s], k) => g.const(`W${k}`, td(ctx.dtype, [1, 1], [s])))
  const b = pieces.map(([, c], k) => g.const(`b${k}`, td(ctx.dtype, [1], [c])))
  const m = maxoutGraph(g, x, W, b)
  return (await evaluate(ctx.engine, g.output(m).build(), { x: td(ctx.dtype, [xs.length, 1], xs) }))[m]!.v
}

const grid = (lo: number, hi: number, steps: number) => Array.from({ length: steps + 1 }, (_, i) => lo + ((hi - lo) * i) / steps)

/** A k-piece maxout unit whose pieces 2..k are zero, next to Relu of piece 1 and its float64 closed form. */
export async function maxoutWithZeroPieces(ctx: ClaimContext, c: { n: number; d: number; k: number; seed: number }) {
  const rng = new Rng(c.seed)
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [c.n, c.d])
  const w1 = randomTensor(rng, ctx.dtype, [c.d, 1])
  const b1 = td(ctx.dtype, [1], [rng.uniform(-1, 1)])
  const W = Array.from({ length: c.k }, (_, k) => g.const(`W${k}`, k === 0 ? w1 : td(ctx.dtype, [c.d, 1], new Array<number>(c.d).fill(0))))
  const b = Array.from({ length: c.k }, (_, k) => g.const(`b${k}`, k === 0 ? b1 : td(ctx.dtype, [1], [0])))
  const m = maxoutGraph(g, x, W, b)
  const r = g.op('Relu', [g.op('Gemm', [x, W[0]!, b[0]!])])
  const X = randomTensor(rng, ctx.dtype, [c.n, c.d], -2, 2)
  const out = await evaluate(ctx.engine, g.output(m, r).build(), { x: X })
  const [xv, wv, bv] = [values(X), values(w1), values(b1)[0]!]
  const want = Array.from({ length: c.n }, (_, i) => Math.max(0, wv.reduce((s, wj, j) => s + xv[i * c.d + j]! * wj, bv)))
  return { maxout: out[m]!.v, relu: out[r]!.v, want }
}

/** A random convex piecewise-linear function with k pieces (increasing slopes, continuous), shuffled pieces. */
export async function convexExact(ctx: ClaimContext, k: number, seed: number) {
  const rng = new Rng(seed)
  const slopes = Array.from({ length: k }, () => rng.uniform(-3, 3)).sort((a, b) => a - b)
  const breaks = Array.from({ length: k - 1 }, () => rng.uniform(-2, 2)).sort((a, b) => a - b)
  const pieces: [number, number][] = fedPieces(ctx, [[slopes[0]!, rng.uniform(-1, 1)]])
  for (let i = 1; i < k; i++) {
    const [s0, c0] = pieces[i - 1]!
    pieces.push(...fedPieces(ctx, [[slopes[i]!, c0 + (s0 - slopes[i]!) * breaks[i - 1]!]])) // continuous at the breakpoint
  }
  // walking the breakpoints, independent of any max
  const f = (x: number) => pieces[breaks.filter((b) => x > b).length]!
  const xs = fed(ctx.dtype, grid(-3, 3, 60))
  return { got: await maxoutOn(ctx, rng.shuffle([...pieces]), xs), want: xs.map((x) => f(x)[0] * x + f(x)[1]) }
}

const fedPieces = (ctx: ClaimContext, ps: [number, number][]): [number, number][] => ps.map(([s, c]) => [fed(ctx.dtype, [s])[0]!, fed(ctx.dtype, [c])[0]!])

/**
 * x² on [−1, 1] by ONE maxout unit of its k tangents at t_i = −1 + 2i/(k−1): a convex function is the
 * max of its tangents, and the gap (x − t)² peaks at the midpoints, so the max error is 1/(k−1)².
 */
export async function squareByTangents(ctx: ClaimContext, k: number): Promise<{ error: number; above: number }> {
  const ts = grid(-1, 1, k - 1)
  const xs = fed(ctx.dtype, grid(-1, 1, 16 * (k - 1))) // contains every midpoint
  const got = await maxoutOn(ctx, fedPieces(ctx, ts.map((t) => [2 * t, -t * t])), xs)
  const gap = xs.map((x, i) => x * x - got[i]!)
  return { error: Math.max(...gap), above: Math.min(...gap) }
}

/**
 * sin on [0, 2π] (neither convex nor concave) by the DIFFERENCE of two k-piece maxout units: the
 * piecewise-linear interpolant p of sin at k + 1 equally spaced knots is split into convex g and h
 * with p = g − h (slope increases go to g, decreases to h); each is the max of its k secants.
 * Returns max |g − h − sin| on a fine grid; interpolation theory bounds it by (2π/k)²/8.
 */
export async function sinByTwoUnits(ctx: ClaimContext, k: number): Promise<number> {
  const t = grid(0, 2 * Math.PI, k)
  const p = t.map(Math.sin)
  const slope = t.slice(1).map((ti, i) => (p[i + 1]! - p[i]!) / (ti - t[i]!))
  const [gv, hv] = [[p[0]!], [0]]
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
  const secants = (v: number[]) => fedPieces(ctx, t.slice(1).map((ti, i) => {
    const s = (v[i + 1]! - v[i]!) / (ti - t[i]!)
    return [s, v[i]! - s * t[i]!]
  }))
  const xs = fed(ctx.dtype, grid(0, 2 * Math.PI, 400))
  const [g, h] = [await maxoutOn(ctx, secants(gv), xs), await maxoutOn(ctx, secants(hv), xs)]
  return Math.max(...xs.map((x, i) => Math.abs(g[i]! - h[i]! - Math.sin(x))))
}

/** Σ r ⊙ maxout(x) with 3 random pieces of 2 units; random inputs make ties a measure-zero event. */
export function maxoutGradCase(ctx: ClaimContext, seed: number): GradCase {
  const rng = new Rng(seed ^ 0x5eed)
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [4, 3])
  const W = [0, 1, 2].map((k) => g.const(`W${k}`, randomTensor(rng, ctx.dtype, [3, 2])))
  const b = [0, 1, 2].map((k) => g.const(`b${k}`, randomTensor(rng, ctx.dtype, [2])))
  const r = randomTensor(rng, ctx.dtype, [4, 2])
  const { loss: l } = weightedSum(g, [{ name: maxoutGraph(g, x, W, b), shape: [4, 2], r }], ctx.engine)
  return { graph: g.output(l).build(), feeds: { x: randomTensor(rng, ctx.dtype, [4, 3], -2, 2) }, of: l, wrt: ['x'], what: 'Max (maxout)' }
}
