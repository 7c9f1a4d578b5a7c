// Gradients at the points where ONNX ops are not differentiable: what each engine picks.
import type { ClaimContext } from '../../harness/claim.ts'
import { requireGrad } from '../../harness/claim.ts'
import type { TensorData } from '../../contract/types.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { td, values } from '../../harness/tensors.ts'

export interface Convention {
  grad: number[]
  rule: string
  valid: boolean
}

/** ∂/∂x of Σ op(x…) at the given inputs. */
async function gradAt(ctx: ClaimContext, build: (g: GraphBuilder, xs: string[]) => string, inputs: TensorData[]): Promise<number[]> {
  const g = new GraphBuilder(ctx.dtype)
  const xs = inputs.map((t, i) => g.input(`x${i}`, t.shape))
  const l = g.op('ReduceSum', [build(g, xs)], { keepdims: 0 })
  const c = await ctx.engine.compile(g.output(l).build())
  try {
    requireGrad(c)
    const r = await c.valueAndGrad(Object.fromEntries(inputs.map((t, i) => [`x${i}`, t])), l, xs)
    return xs.flatMap((x) => values(r.grads[x]!))
  } finally {
    c.dispose?.()
  }
}

const within = (v: number, lo: number, hi: number) => v >= lo - 1e-6 && v <= hi + 1e-6

export async function conventions(ctx: ClaimContext): Promise<Record<string, Convention>> {
  const s = (v: number[]) => td(ctx.dtype, [v.length], v)
  const out: Record<string, Convention> = {}
  const one = async (name: string, op: string, attrs: Record<string, unknown>, x: number, lo: number, hi: number) => {
    const grad = await gradAt(ctx, (g, [a]) => g.op(op, [a!], attrs), [s([x])])
    out[name] = { grad, rule: `in [${lo}, ${hi}]`, valid: within(grad[0]!, lo, hi) }
  }
  await one("Relu'(0)", 'Relu', {}, 0, 0, 1)
  await one("Abs'(0)", 'Abs', {}, 0, -1, 1)
  await one("LeakyRelu'(0) (α 0.1)", 'LeakyRelu', { alpha: 0.1 }, 0, 0.1, 1)
  const tie = await gradAt(ctx, (g, [a, b]) => g.op('Max', [a!, b!]), [s([1.5]), s([1.5])])
  out['Max tie'] = { grad: tie, rule: 'both in [0, 1], summing to 1', valid: tie.every((v) => within(v, 0, 1)) && within(tie[0]! + tie[1]!, 1, 1) }
  const clip = await gradAt(ctx, (g, [a]) => g.op('Clip', [a!, g.const('lo', td(ctx.dtype, [], [-1])), g.const('hi', td(ctx.dtype, [], [1]))]), [s([-1, 1])])
  out['Clip bounds'] = { grad: clip, rule: 'each in [0, 1]', valid: clip.every((v) => within(v, 0, 1)) }
  const rmax = await gradAt(ctx, (g, [a]) => g.op('ReduceMax', [a!], { keepdims: 0 }), [s([2, 2, 1])])
  out['ReduceMax tie'] = { grad: rmax, rule: 'tied entries in [0, 1] summing to 1, others 0', valid: within(rmax[0]! + rmax[1]!, 1, 1) && rmax[2] === 0 && rmax.every((v) => within(v, 0, 1)) }
  return out
}
