// Gradients at the points where ONNX ops are not differentiable: what each engine picks. Each
// convention is one op; an engine that lacks it (or the ops to sum its outputs) skips that one only.
import type { ClaimContext } from '../../harness/claim.ts'
import { requireGrad } from '../../harness/claim.ts'
import type { TensorData } from '../../contract/types.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { recipeFor, weightedSum } from '../../harness/scalarize.ts'
import { td, values } from '../../harness/tensors.ts'

export interface Convention {
  grad: number[]
  rule: string
  valid: boolean
}

interface Case {
  op: string
  attrs?: Record<string, unknown>
  /** values of the inputs, each a [1, n] row; the bounds of Clip are added as constants */
  at: number[][]
  /** shape of the op's output */
  out: number[]
  rule: string
  valid: (grad: number[]) => boolean
}

const within = (v: number, lo: number, hi: number) => v >= lo - 1e-6 && v <= hi + 1e-6
const interval = (lo: number, hi: number) => ({ rule: `in [${lo}, ${hi}]`, valid: (g: number[]) => within(g[0]!, lo, hi) })

const CASES: Record<string, Case> = {
  "Relu'(0)": { op: 'Relu', at: [[0]], out: [1, 1], ...interval(0, 1) },
  "Abs'(0)": { op: 'Abs', at: [[0]], out: [1, 1], ...interval(-1, 1) },
  "LeakyRelu'(0) (α 0.1)": { op: 'LeakyRelu', attrs: { alpha: 0.1 }, at: [[0]], out: [1, 1], ...interval(0.1, 1) },
  'Max tie': { op: 'Max', at: [[1.5], [1.5]], out: [1, 1], rule: 'both in [0, 1], summing to 1', valid: (g) => g.every((v) => within(v, 0, 1)) && within(g[0]! + g[1]!, 1, 1) },
  'Clip bounds': { op: 'Clip', at: [[-1, 1]], out: [1, 2], rule: 'each in [0, 1]', valid: (g) => g.every((v) => within(v, 0, 1)) },
  'ReduceMax tie': { op: 'ReduceMax', attrs: { keepdims: 1 }, at: [[2, 2, 1]], out: [1, 1], rule: 'tied entries in [0, 1] summing to 1, others 0', valid: (g) => within(g[0]! + g[1]!, 1, 1) && g[2] === 0 && g.every((v) => within(v, 0, 1)) },
}

/** ∂/∂x of Σ op(x…) at the case's point, or why this engine cannot say. */
async function gradAt(ctx: ClaimContext, c: Case): Promise<number[] | { skipped: string }> {
  const g = new GraphBuilder(ctx.dtype)
  const xs = c.at.map((v, i) => g.input(`x${i}`, [1, v.length]))
  const bounds = c.op === 'Clip' ? [g.const('lo', td(ctx.dtype, [], [-1])), g.const('hi', td(ctx.dtype, [], [1]))] : []
  const node = { op: c.op, inputs: [...xs, ...bounds], outputs: ['y'], ...(c.attrs ? { attrs: c.attrs } : {}) }
  const has = ctx.engine.supports(node)
  if (has !== true) return { skipped: has }
  const y = { name: g.op(c.op, [...xs, ...bounds], c.attrs), shape: c.out, r: Array<number>(c.out.reduce((a, b) => a * b, 1)).fill(1) }
  const recipe = recipeFor([y], ctx.engine)
  if ('reason' in recipe) return { skipped: recipe.reason }
  const { loss } = weightedSum(g, [y], ctx.engine)
  const compiled = await ctx.engine.compile(g.output(loss).build())
  try {
    requireGrad(compiled)
    const r = await compiled.valueAndGrad(Object.fromEntries(c.at.map((v, i) => [xs[i]!, td(ctx.dtype, [1, v.length], v)])) as Record<string, TensorData>, loss, xs)
    return xs.flatMap((x) => values(r.grads[x]!))
  } finally {
    compiled.dispose?.()
  }
}

/** Each convention the engine can be asked about, and the ones it cannot (with why). */
export async function conventions(ctx: ClaimContext): Promise<{ found: Record<string, Convention>; skipped: Record<string, string> }> {
  const found: Record<string, Convention> = {}
  const skipped: Record<string, string> = {}
  for (const [name, c] of Object.entries(CASES)) {
    const grad = await gradAt(ctx, c)
    if ('skipped' in grad) skipped[name] = grad.skipped
    else found[name] = { grad, rule: c.rule, valid: c.valid(grad) }
  }
  return { found, skipped }
}
