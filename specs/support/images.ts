// NCHW images as plain arrays, their transforms (shift, rotate, upsample, permute) in float64,
// and Conv / pool graphs run through the engine under test.
import type { ClaimContext } from '../../harness/claim.ts'
import { requireGrad } from '../../harness/claim.ts'
import { evaluate } from '../../harness/evaluate.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import type { Rng } from '../../contract/rng.ts'
import { weightedSum } from '../../harness/scalarize.ts'
import { i64, td, values } from '../../harness/tensors.ts'

/** One image [C, H, W] flattened, with its shape. */
export interface Img {
  c: number
  h: number
  w: number
  v: number[]
}

export const at = (x: Img, c: number, i: number, j: number) => x.v[(c * x.h + i) * x.w + j]!
export const make = (c: number, h: number, w: number, f: (c: number, i: number, j: number) => number): Img => ({
  c, h, w,
  v: Array.from({ length: c * h * w }, (_, k) => f(Math.floor(k / (h * w)), Math.floor(k / w) % h, k % w)),
})
export const random = (rng: Rng, c: number, h: number, w: number): Img => make(c, h, w, () => rng.uniform(-1, 1))
const mod = (a: number, n: number) => ((a % n) + n) % n
export const shift = (x: Img, dy: number, dx: number): Img => make(x.c, x.h, x.w, (c, i, j) => at(x, c, mod(i - dy, x.h), mod(j - dx, x.w)))
export const rot90 = (x: Img): Img => make(x.c, x.w, x.h, (c, i, j) => at(x, c, j, x.w - 1 - i))
export const upsample2 = (x: Img): Img => make(x.c, 2 * x.h, 2 * x.w, (c, i, j) => at(x, c, i >> 1, j >> 1))

export interface ConvSpec {
  cout: number
  k: number
  /** 'SAME_UPPER' keeps H×W; 'VALID' shrinks it */
  pad: 'SAME_UPPER' | 'VALID'
  weights: number[]
  bias: number[]
}

export const randomConv = (rng: Rng, cin: number, cout: number, k: number, pad: ConvSpec['pad'] = 'SAME_UPPER'): ConvSpec => ({
  cout, k, pad,
  weights: Array.from({ length: cout * cin * k * k }, () => rng.uniform(-1, 1)),
  bias: Array.from({ length: cout }, () => rng.uniform(-0.5, 0.5)),
})

/** x with its borders wrapped around: r rows/columns before, k − 1 − r after (a copy, no arithmetic). */
const wrapPad = (x: Img, k: number): Img => {
  const r = (k - 1) >> 1
  return make(x.c, x.h + k - 1, x.w + k - 1, (c, i, j) => at(x, c, mod(i - r, x.h), mod(j - r, x.w)))
}

/**
 * Conv over a batch of one image. Circular padding is done here, before the engine (it only copies
 * values, and it is not what a claim about Conv is about), so the engine runs a VALID Conv on it.
 */
export async function conv(ctx: ClaimContext, x: Img, s: ConvSpec, circular = false): Promise<Img> {
  const g = new GraphBuilder(ctx.dtype)
  const wrapped = circular && s.k > 1
  const input = wrapped ? wrapPad(x, s.k) : x
  const inp = g.input('x', [1, input.c, input.h, input.w])
  const W = g.const('W', td(ctx.dtype, [s.cout, x.c, s.k, s.k], s.weights))
  const B = g.const('B', td(ctx.dtype, [s.cout], s.bias))
  const y = g.op('Conv', [inp, W, B], { kernel_shape: [s.k, s.k], auto_pad: wrapped ? 'VALID' : s.pad }, 'conv')
  return asImg((await evaluate(ctx.engine, g.output(y).build(), { x: td(ctx.dtype, [1, input.c, input.h, input.w], input.v) }))[y]!)
}

const asImg = (o: { shape: number[]; v: number[] }): Img => ({ c: o.shape[1]!, h: o.shape[2]!, w: o.shape[3]!, v: o.v })

/** One unary pipeline on an image: op(x) then pool, or pool then op, as named in `nodes`. */
export async function pipeline(ctx: ClaimContext, x: Img, nodes: [string, Record<string, unknown>][]): Promise<Img> {
  const g = new GraphBuilder(ctx.dtype)
  let v = g.input('x', [1, x.c, x.h, x.w])
  for (const [op, attrs] of nodes) v = g.op(op, [v], attrs)
  return asImg((await evaluate(ctx.engine, g.output(v).build(), { x: td(ctx.dtype, [1, x.c, x.h, x.w], x.v) }))[v]!)
}

/** ∂(Σ r ⊙ op(x))/∂x for a single-op image graph (the sum written with the engine's ops: harness/scalarize.ts). */
export async function imageGrad(ctx: ClaimContext, x: Img, op: string, attrs: Record<string, unknown>, r: number[], extra: Record<string, number[] & { shape?: number[] }> = {}, extraShapes: Record<string, number[]> = {}): Promise<number[]> {
  const g = new GraphBuilder(ctx.dtype)
  const inp = g.input('x', [1, x.c, x.h, x.w])
  const consts = Object.entries(extra).map(([k, v]) => g.const(k, td(ctx.dtype, extraShapes[k]!, v)))
  const y = g.op(op, [inp, ...consts], attrs)
  const probe = await ctx.engine.compile(g.output(y).build())
  const shape = (await probe.run({ x: td(ctx.dtype, [1, x.c, x.h, x.w], x.v) }))[y]!.shape
  const { loss: l } = weightedSum(g, [{ name: y, shape: [...shape], r: r.slice(0, shape.reduce((a, b) => a * b, 1)) }], ctx.engine)
  const c = await ctx.engine.compile(g.output(l).build())
  requireGrad(c)
  return values((await c.valueAndGrad({ x: td(ctx.dtype, [1, x.c, x.h, x.w], x.v) }, l, ['x'])).grads['x']!)
}

/** ∂(Σ r ⊙ Conv(x; W, B))/∂(x, W, B) for a VALID conv, W and B fed as parameters. */
export async function convGrads(ctx: ClaimContext, x: Img, s: ConvSpec, r: number[]): Promise<{ x: number[]; W: number[]; B: number[] }> {
  const g = new GraphBuilder(ctx.dtype)
  const inp = g.input('x', [1, x.c, x.h, x.w])
  const [W, B] = [g.input('W', [s.cout, x.c, s.k, s.k]), g.input('B', [s.cout])]
  const y = g.op('Conv', [inp, W, B], { kernel_shape: [s.k, s.k], auto_pad: s.pad })
  const [oh, ow] = s.pad === 'VALID' ? [x.h - s.k + 1, x.w - s.k + 1] : [x.h, x.w]
  const { loss: l } = weightedSum(g, [{ name: y, shape: [1, s.cout, oh, ow], r }], ctx.engine)
  const c = await ctx.engine.compile(g.output(l).build())
  requireGrad(c)
  const feeds = { x: td(ctx.dtype, [1, x.c, x.h, x.w], x.v), W: td(ctx.dtype, [s.cout, x.c, s.k, s.k], s.weights), B: td(ctx.dtype, [s.cout], s.bias) }
  const { grads } = await c.valueAndGrad(feeds, l, ['x', 'W', 'B'])
  return { x: values(grads['x']!), W: values(grads['W']!), B: values(grads['B']!) }
}

/** Flatten an image through the engine, and Reshape the flat vector back to its plane. */
export async function flattenRoundTrip(ctx: ClaimContext, x: Img): Promise<{ flat: number[]; back: number[] }> {
  const g = new GraphBuilder(ctx.dtype)
  const inp = g.input('x', [1, x.c, x.h, x.w])
  const flat = g.op('Flatten', [inp], { axis: 1 })
  const back = g.op('Reshape', [flat, g.const('shape', i64([1, x.c, x.h, x.w]))])
  const out = await evaluate(ctx.engine, g.output(flat, back).build(), { x: td(ctx.dtype, [1, x.c, x.h, x.w], x.v) })
  return { flat: out[flat]!.v, back: out[back]!.v }
}
