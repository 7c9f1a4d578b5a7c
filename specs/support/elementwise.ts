// Running one elementwise op on a batch of scalars through the engine under test: its values, and
// its derivative (the gradient of Σ op(x) is op'(x) elementwise).
import fc from 'fast-check'
import type { ClaimContext } from '../../harness/claim.ts'
import { requireGrad } from '../../harness/claim.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { td, values } from '../../harness/tensors.ts'

export interface Unary {
  values: number[]
  grads?: number[]
}

function graphOf(ctx: ClaimContext, op: string, attrs: Record<string, unknown>, n: number) {
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [n])
  const y = g.op(op, [x], attrs, op)
  const s = g.op('ReduceSum', [y], { keepdims: 0 }, 'sum')
  return { graph: g.output(y, s).build(), y, s }
}

/** op(x) for each x, computed by the engine under test. */
export async function unaryValues(ctx: ClaimContext, op: string, xs: number[], attrs: Record<string, unknown> = {}): Promise<number[]> {
  const { graph, y } = graphOf(ctx, op, attrs, xs.length)
  const c = await ctx.engine.compile(graph)
  try {
    const out = await c.run({ x: td(ctx.dtype, [xs.length], xs) })
    return values(out[y]!)
  } finally {
    c.dispose?.()
  }
}

/** op'(x) for each x, by the engine's reverse mode. */
export async function unaryGrads(ctx: ClaimContext, op: string, xs: number[], attrs: Record<string, unknown> = {}): Promise<number[]> {
  const { graph, s } = graphOf(ctx, op, attrs, xs.length)
  const c = await ctx.engine.compile(graph)
  try {
    requireGrad(c)
    const r = await c.valueAndGrad({ x: td(ctx.dtype, [xs.length], xs) }, s, ['x'])
    return values(r.grads['x']!)
  } finally {
    c.dispose?.()
  }
}

/** Finite doubles in [lo, hi] kept `margin` away from each point of `avoid` (kinks of ReLU, Abs…). */
export const reals = (c: { lo: number; hi: number; avoid?: number[]; margin?: number; min?: number; max?: number }) =>
  fc
    .array(fc.double({ min: c.lo, max: c.hi, noNaN: true, noDefaultInfinity: true }), { minLength: c.min ?? 1, maxLength: c.max ?? 16 })
    .filter((xs) => xs.every((x) => (c.avoid ?? []).every((a) => Math.abs(x - a) >= (c.margin ?? 1e-3))))
