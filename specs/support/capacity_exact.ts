// The closed-form halves of the capacity claims: explicit weights, bounds and constructions,
// evaluated through the engine under test where a network is involved.
import type { ClaimContext } from '../../harness/claim.ts'
import { evaluate } from '../../harness/evaluate.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import type { Rng } from '../../contract/rng.ts'
import { td, values } from '../../harness/tensors.ts'
import { patterns, table } from './capacity.ts'

const forward = async (ctx: ClaimContext, g: GraphBuilder, out: string, feeds: Record<string, ReturnType<typeof td>>): Promise<number[]> =>
  (await evaluate(ctx.engine, g.output(out).build(), feeds))[out]!.v

/** s = x·w + b on the four 2-bit patterns, by the engine's Gemm. */
export async function affineScores(ctx: ClaimContext, w1: number, w2: number, b: number): Promise<number[]> {
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [4, 2])
  const s = g.op('Gemm', [x, g.const('w', td(ctx.dtype, [2, 1], [w1, w2])), g.const('b', td(ctx.dtype, [1], [b]))])
  return forward(ctx, g, s, { x: td(ctx.dtype, [4, 2], patterns(2).flat()) })
}

/**
 * min over affine scores of ¼[σ(s00)² + (1−σ(s01))² + (1−σ(s10))² + σ(s11)²] subject to
 * s00 + s11 = s01 + s10 = c: for each c the two halves are 1-D problems, minimized on a float64 grid.
 */
export function xorLossBound(): number {
  const sig = (v: number) => 1 / (1 + Math.exp(-v))
  const us = Array.from({ length: 1201 }, (_, i) => -30 + i * 0.05)
  let best = Infinity
  for (let c = -30; c <= 30; c += 0.05) {
    let lo = Infinity
    let hi = Infinity
    for (const u of us) {
      lo = Math.min(lo, sig(u) ** 2 + sig(c - u) ** 2)
      hi = Math.min(hi, (1 - sig(u)) ** 2 + (1 - sig(c - u)) ** 2)
    }
    best = Math.min(best, (lo + hi) / 4)
  }
  return Number(best.toFixed(6))
}

/** σ(w·x + b) for the scalar codes x = 0, 1, 2, 3. */
export async function monotoneScalar(ctx: ClaimContext, w: number, b: number): Promise<number[]> {
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [4, 1])
  const y = g.op('Sigmoid', [g.op('Gemm', [x, g.const('w', td(ctx.dtype, [1, 1], [w])), g.const('b', td(ctx.dtype, [1], [b]))])])
  return forward(ctx, g, y, { x: td(ctx.dtype, [4, 1], [0, 1, 2, 3]) })
}

/** Functions (of 16) with integer weights in [−2, 2]² and bias in {−3.5 … 3.5} classifying them, verified by the engine. */
export async function separators(ctx: ClaimContext): Promise<{ separable: number[] }> {
  const separable: number[] = []
  for (let f = 0; f < 16; f++) {
    const t = table(f, 2)
    search: for (let w1 = -2; w1 <= 2; w1++) {
      for (let w2 = -2; w2 <= 2; w2++) {
        for (let b = -3.5; b <= 3.5; b += 1) {
          const s = await affineScores(ctx, w1, w2, b)
          if (s.every((v, k) => (v > 0 ? 1 : 0) === t[k])) {
            separable.push(f)
            break search
          }
        }
      }
    }
  }
  return { separable }
}

/**
 * One hidden layer of 2^n sigmoid units: unit k has weights 2p_k − 1 and bias ½ − |p_k|, scaled
 * by 20, so it is ≈1 only on pattern p_k; the output adds the units of the patterns where f = 1.
 * Returns the functions the engine's network gets wrong (none expected).
 */
export async function constructiveNetwork(ctx: ClaimContext, n: number): Promise<number[]> {
  const P = patterns(n)
  const m = P.length
  const A = 20
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [m, n])
  const w2 = g.input('w2', [m, 1])
  const W1 = g.const('W1', td(ctx.dtype, [n, m], Array.from({ length: n * m }, (_, i) => A * (2 * P[i % m]![Math.floor(i / m)]! - 1))))
  const b1 = g.const('b1', td(ctx.dtype, [m], P.map((p) => A * (0.5 - p.reduce((s, v) => s + v, 0)))))
  const h = g.op('Sigmoid', [g.op('Gemm', [x, W1, b1])])
  const y = g.op('Sigmoid', [g.op('Gemm', [h, w2, g.const('b2', td(ctx.dtype, [1], [-A / 2]))])])
  const c = await ctx.engine.compile(g.output(y).build())
  const wrong: number[] = []
  try {
    for (let f = 0; f < 2 ** m; f++) {
      const t = table(f, n)
      const out = values((await c.run({ x: td(ctx.dtype, [m, n], P.flat()), w2: td(ctx.dtype, [m, 1], t.map((v) => A * v)) }))[y]!)
      if (!out.every((v, k) => (v > 0.5 ? 1 : 0) === t[k])) wrong.push(f)
    }
  } finally {
    c.dispose?.()
  }
  return wrong
}

/** Inverse XOR: the input y and the two x with XOR(x) = y, as (input, target) rows. */
export function inverseXor(): { xs: number[][]; ys: number[][] } {
  const rows = patterns(2).map((p) => ({ y: p[0]! ^ p[1]!, x: p }))
  return { xs: rows.map((r) => [r.y]), ys: rows.map((r) => r.x) }
}

/** 16 random points in [−1,1]² with smooth targets in (0.1, 0.9). */
export function regressionData(rng: Rng): { xs: number[][]; ys: number[][] } {
  const xs = Array.from({ length: 16 }, () => [rng.uniform(-1, 1), rng.uniform(-1, 1)])
  return { xs, ys: xs.map(([a, b]) => [0.5 + 0.4 * Math.sin(3 * a! + 2 * b!)]) }
}
