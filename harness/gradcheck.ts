// The gradient check of the tolerance policy: a float64 engine's reverse mode against float64
// central differences of its own forward pass; a float32 engine's against the float64 reference
// engine's analytic gradient (never against float32 differences, which are noise).
import { expectClose, tolerance, type Tolerance } from './assert.ts'
import type { ClaimContext } from './claim.ts'
import { requireGrad } from './claim.ts'
import type { Graph, TensorData } from '../contract/types.ts'
import { gradient, graphFunction, projected, randomDirections } from '../oracles/finite_difference.ts'
import { castFeeds, castGraph, values } from './tensors.ts'

export interface GradCase {
  graph: Graph
  feeds: Record<string, TensorData>
  /** scalar output */
  of: string
  wrt: string[]
  /** names the op in messages: `Sigmoid grad x[0,2] = …` */
  what: string
}

/** Full differences up to this many inputs, random projections beyond. */
const FULL_LIMIT = 48

/** The check; returns the worst |Δ| ÷ tolerance over every element checked (≤ 1 passes; the report plots it per op). */
export async function checkGradient(ctx: ClaimContext, c: GradCase): Promise<{ worstRatio: number }> {
  const compiled = await ctx.engine.compile(c.graph)
  try {
    requireGrad(compiled)
    const { grads } = await compiled.valueAndGrad(c.feeds, c.of, c.wrt)
    if (ctx.dtype === 'float32') {
      const ref = await (await ctx.reference()).compile(castGraph(c.graph, 'float64'))
      requireGrad(ref)
      const want = (await ref.valueAndGrad(castFeeds(c.feeds, 'float64'), c.of, c.wrt)).grads
      let worstRatio = 0
      for (const w of c.wrt) {
        const reduction = Math.max(...c.graph.inputs.map((i) => (i.shape as number[]).reduce((a, b) => a * b, 1)))
        const tol = tolerance('float32', { reduction })
        expectClose(grads[w]!, want[w]!, { what: `${c.what} grad ${w}`, oracle: 'reference-f64 analytic gradient', tol, replay: ctx.replay })
        worstRatio = Math.max(worstRatio, overTolerance(values(grads[w]!), values(want[w]!), tol))
      }
      return { worstRatio }
    }
    const at = Object.fromEntries(c.wrt.map((w) => [w, Float64Array.from(values(c.feeds[w]!))]))
    const fixed = Object.fromEntries(Object.entries(c.feeds).filter(([k]) => !c.wrt.includes(k)))
    const { f, compiled: fc } = await graphFunction(ctx.engine, c.graph, c.of, { ...fixed, ...c.feeds })
    try {
      const size = c.wrt.reduce((n, w) => n + at[w]!.length, 0)
      const tol = tolerance('float64', { gradient: true })
      if (size <= FULL_LIMIT) {
        const num = await gradient(f, at, c.wrt)
        let worstRatio = 0
        for (const w of c.wrt) {
          const want: TensorData = { dtype: 'float64', shape: [...c.feeds[w]!.shape], data: num[w]! }
          expectClose(grads[w]!, want, { what: `${c.what} grad ${w}`, oracle: 'float64 central differences', tol, replay: ctx.replay })
          worstRatio = Math.max(worstRatio, overTolerance(values(grads[w]!), Array.from(num[w]!), tol))
        }
        return { worstRatio }
      }
      let worstRatio = 0
      for (let k = 0; k < 3; k++) {
        const { u, v } = randomDirections(ctx.rng, at, c.wrt, 1)
        const num = await projected(f, at, u, v)
        const analytic = v[0]! * c.wrt.reduce((s, w) => s + values(grads[w]!).reduce((t, g, i) => t + g * u[w]![i]!, 0), 0)
        expectClose(analytic, num, { what: `${c.what} grad vᵀJu (${c.wrt.join(',')})`, oracle: 'float64 central differences', tol, replay: ctx.replay })
        worstRatio = Math.max(worstRatio, overTolerance([analytic], [num], tol))
      }
      return { worstRatio }
    } finally {
      fc.dispose?.()
    }
  } finally {
    compiled.dispose?.()
  }
}

function overTolerance(a: number[], b: number[], tol: Tolerance): number {
  let w = 0
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i]! - b[i]!) / (tol.atol + tol.rtol * Math.abs(b[i]!)))
  return Number(w.toPrecision(3))
}
