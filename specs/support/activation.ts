// One activation at a time through the engine under test: a one-node graph over a row of scalars,
// its values, its derivative (∂/∂x of Σ op(x) is op'(x) elementwise; the sum written with the engine's ops), softmax rows, and a network
// with one dead ReLU unit trained by the harness's own SGD.
import fc from 'fast-check'
import type { ClaimContext } from '../../harness/claim.ts'
import { requireGrad } from '../../harness/claim.ts'
import type { FloatDType, Graph } from '../../contract/types.ts'
import type { GradCase } from '../../harness/gradcheck.ts'
import { evaluate } from '../../harness/evaluate.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { weightedSum } from '../../harness/scalarize.ts'
import { dense, mseLoss } from '../../harness/layers.ts'
import { Rng } from '../../contract/rng.ts'
import { train } from '../../harness/train.ts'
import { randomTensor, td, values } from '../../harness/tensors.ts'

/** y = op(x) for x a row of `n` scalars, and s = Σ r ⊙ y (r = 1 by default) written with the engine's ops. */
function unaryGraph(ctx: ClaimContext, op: string, attrs: Record<string, unknown>, n: number, r?: number[]): { graph: Graph; y: string; s: string } {
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [1, n])
  const y = g.op(op, [x], attrs, op)
  const { loss: s } = weightedSum(g, [{ name: y, shape: [1, n], r: r ?? Array<number>(n).fill(1) }], ctx.engine)
  return { graph: g.output(s).build(), y, s }
}

/** op(x) for each x, computed by the engine under test. */
export async function unaryValues(ctx: ClaimContext, op: string, xs: number[], attrs: Record<string, unknown> = {}): Promise<number[]> {
  const g = new GraphBuilder(ctx.dtype)
  const y = g.op(op, [g.input('x', [1, xs.length])], attrs, op)
  return (await evaluate(ctx.engine, g.output(y).build(), { x: td(ctx.dtype, [1, xs.length], xs) }))[y]!.v
}

/** op'(x) for each x, by the engine's reverse mode (skips the claim on a forward-only engine). */
export async function unaryGrads(ctx: ClaimContext, op: string, xs: number[], attrs: Record<string, unknown> = {}): Promise<number[]> {
  const { graph, s } = unaryGraph(ctx, op, attrs, xs.length)
  const c = await ctx.engine.compile(graph)
  try {
    requireGrad(c)
    const r = await c.valueAndGrad({ x: td(ctx.dtype, [1, xs.length], xs) }, s, ['x'])
    return values(r.grads['x']!)
  } finally {
    c.dispose?.()
  }
}

/** Σ r ⊙ op(x) with fixed random r: the gradient check then tests vᵀJ of the op for a random v. */
export function weightedCase(ctx: ClaimContext, op: string, attrs: Record<string, unknown>, xs: number[], seed: number): GradCase {
  const { graph, s } = unaryGraph(ctx, op, attrs, xs.length, values(randomTensor(new Rng(seed), ctx.dtype, [xs.length])))
  return { graph, feeds: { x: td(ctx.dtype, [1, xs.length], xs) }, of: s, wrt: ['x'], what: op }
}

/** Finite doubles in [lo, hi] kept `margin` away from each point of `avoid` (kinks of ReLU, ELU…). */
export const reals = (c: { lo: number; hi: number; avoid?: number[]; margin?: number; min?: number; max?: number }) =>
  fc
    .array(fc.double({ min: c.lo, max: c.hi, noNaN: true, noDefaultInfinity: true }), { minLength: c.min ?? 1, maxLength: c.max ?? 16 })
    .filter((xs) => xs.every((x) => (c.avoid ?? []).every((a) => Math.abs(x - a) >= (c.margin ?? 1e-3))))

/** The values the engine actually sees: float32 inputs are rounded before any closed form uses them. */
export const fed = (dtype: FloatDType, xs: number[]): number[] => (dtype === 'float32' ? xs.map(Math.fround) : xs)

export const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length

/** softmax of one row in float64, max-subtracted so that no logit overflows. */
export function softmax64(row: number[]): number[] {
  const m = Math.max(...row)
  const e = row.map((v) => Math.exp(v - m))
  const s = e.reduce((a, b) => a + b, 0)
  return e.map((v) => v / s)
}

/** softmax along the last axis of a [rows, cols] batch, as rows, by the engine under test. */
export async function softmaxRows(ctx: ClaimContext, rows: number[][]): Promise<number[][]> {
  const [n, m] = [rows.length, rows[0]!.length]
  const g = new GraphBuilder(ctx.dtype)
  const y = g.op('Softmax', [g.input('x', [n, m])], { axis: -1 })
  const p = (await evaluate(ctx.engine, g.output(y).build(), { x: td(ctx.dtype, [n, m], rows.flat()) }))[y]!.v
  return rows.map((_, r) => p.slice(r * m, (r + 1) * m))
}

/** Σ r ⊙ softmax(x) along the last axis, for the gradient check. */
export function softmaxGradCase(ctx: ClaimContext, seed: number): GradCase {
  const rng = new Rng(seed)
  const [n, m] = [1 + rng.int(3), 2 + rng.int(5)]
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [n, m])
  const r = randomTensor(rng, ctx.dtype, [n, m])
  const { loss: l } = weightedSum(g, [{ name: g.op('Softmax', [x], { axis: -1 }), shape: [n, m], r }], ctx.engine)
  return { graph: g.output(l).build(), feeds: { x: randomTensor(rng, ctx.dtype, [n, m], -3, 3) }, of: l, wrt: ['x'], what: 'Softmax' }
}

export interface DeadUnitRun {
  /** ∂loss/∂(incoming weights, bias) of the dead unit at the start */
  grad: number[]
  /** its incoming weights and bias before and after training, bit for bit */
  before: number[]
  after: number[]
  /** largest change of any live unit's incoming weight (shows training did move the network) */
  liveMoved: number
  losses: [first: number, last: number]
}

/**
 * relu(x·W1 + b1)·W2 + b2 under MSE on n random inputs in [−1, 1]^d, trained `steps` SGD steps. Hidden
 * unit 0 is dead (negative pre-activation on every input), the other h − 1 are alive on every input.
 */
export async function deadUnitRun(ctx: ClaimContext, c: { n: number; d: number; h: number; seed: number; steps: number }): Promise<DeadUnitRun> {
  const rng = new Rng(c.seed)
  const W1 = randomTensor(rng, ctx.dtype, [c.d, c.h])
  const w = values(W1)
  // |x·W1[:,j]| ≤ Σ|W1[:,j]| for x in [−1, 1]^d: unit 0 sits below −0.1 on every input, the others above 0.1
  const reach = (j: number) => w.filter((_, i) => i % c.h === j).reduce((s, v) => s + Math.abs(v), 0) + 0.1 + rng.next()
  const b1 = Array.from({ length: c.h }, (_, j) => (j === 0 ? -reach(j) : reach(j)))
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [c.n, c.d])
  const y = g.input('y', [c.n, 1])
  const P = { W1: g.param('W1', W1), b1: g.param('b1', td(ctx.dtype, [c.h], b1)), W2: g.param('W2', randomTensor(rng, ctx.dtype, [c.h, 1])), b2: g.param('b2', td(ctx.dtype, [1], [0])) }
  const out = dense(g, dense(g, x, P.W1, P.b1, 'Relu', 'hidden'), P.W2, P.b2, 'Identity', 'out')
  const loss = mseLoss(g, out, y)
  const graph = g.output(loss).build()
  const feeds = { x: randomTensor(rng, ctx.dtype, [c.n, c.d]), y: randomTensor(rng, ctx.dtype, [c.n, 1]) }
  const dead = (W: number[], b: number[]) => [...W.filter((_, i) => i % c.h === 0), b[0]!]
  const compiled = await ctx.engine.compile(graph)
  let grad: number[]
  try {
    requireGrad(compiled)
    const r = await compiled.valueAndGrad({ ...feeds, ...g.paramValues() }, loss, ['W1', 'b1'])
    grad = dead(values(r.grads['W1']!), values(r.grads['b1']!))
  } finally {
    compiled.dispose?.()
  }
  const t = await train(ctx.engine, graph, { feeds, params: g.paramValues(), loss, lr: 0.01, steps: c.steps })
  const after = values(t.params['W1']!)
  return {
    grad,
    before: dead(w, values(g.paramValues()['b1']!)),
    after: dead(after, values(t.params['b1']!)),
    liveMoved: Math.max(0, ...after.map((v, i) => (i % c.h === 0 ? 0 : Math.abs(v - w[i]!)))),
    losses: [t.losses[0]!, t.finalLoss],
  }
}
