// Dense layers and stacks as engine graphs, next to their float64 closed forms.
import type { ClaimContext } from '../../harness/claim.ts'
import { requireGrad } from '../../harness/claim.ts'
import type { TensorData } from '../../contract/types.ts'
import { evaluate } from '../../harness/evaluate.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { weightedSum } from '../../harness/scalarize.ts'
import { dense, type Activation } from '../../harness/layers.ts'
import { Rng } from '../../contract/rng.ts'
import { randomTensor, td, values } from '../../harness/tensors.ts'

const ACT: Record<string, (v: number) => number> = {
  Sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  Tanh: Math.tanh,
  Relu: (v) => Math.max(v, 0),
  Identity: (v) => v,
}

const run = async (ctx: ClaimContext, g: GraphBuilder, out: string, feeds: Record<string, TensorData>): Promise<number[]> =>
  (await evaluate(ctx.engine, g.output(out).build(), feeds))[out]!.v

/** x·W + b by plain float64 loops: the closed form the engine is compared with. */
function affine(x: number[], n: number, d: number, W: number[], m: number, b: number[]): number[] {
  return Array.from({ length: n * m }, (_, k) => {
    const [i, j] = [Math.floor(k / m), k % m]
    let s = b[j]!
    for (let p = 0; p < d; p++) s += x[i * d + p]! * W[p * m + j]!
    return s
  })
}

export async function denseCase(ctx: ClaimContext, c: { n: number; d: number; m: number; act: string; seed: number }) {
  const rng = new Rng(c.seed)
  const [X, W, b] = [randomTensor(rng, ctx.dtype, [c.n, c.d], -2, 2), randomTensor(rng, ctx.dtype, [c.d, c.m]), randomTensor(rng, ctx.dtype, [c.m])]
  const g = new GraphBuilder(ctx.dtype)
  const y = dense(g, g.input('x', [c.n, c.d]), g.const('W', W), g.const('b', b), c.act as Activation)
  const got = await run(ctx, g, y, { x: X })
  return { got, want: affine(values(X), c.n, c.d, values(W), c.m, values(b)).map(ACT[c.act]!) }
}

/**
 * ∂yⱼ/∂xᵢ for one input row, by reverse mode on Σ yⱼ·eⱼ for each output j; and, from the same calls,
 * the parameters that take part: entries of W and b whose gradient is nonzero for some output.
 */
export async function denseJacobian(ctx: ClaimContext, c: { d: number; m: number; seed: number }) {
  const rng = new Rng(c.seed)
  const jacobian: number[][] = []
  const used = { W: new Set<number>(), b: new Set<number>() }
  for (let j = 0; j < c.m; j++) {
    const g = new GraphBuilder(ctx.dtype)
    const x = g.input('x', [1, c.d])
    const W = g.param('W', randomTensor(new Rng(c.seed), ctx.dtype, [c.d, c.m]))
    const b = g.param('b', randomTensor(new Rng(c.seed + 1), ctx.dtype, [c.m]))
    const y = dense(g, x, W, b, 'Tanh')
    const e = Array.from({ length: c.m }, (_, k) => (k === j ? 1 : 0))
    const { loss: l } = weightedSum(g, [{ name: y, shape: [1, c.m], r: e }], ctx.engine)
    const compiled = await ctx.engine.compile(g.output(l).build())
    try {
      requireGrad(compiled)
      const r = await compiled.valueAndGrad({ x: randomTensor(rng.fork(j), ctx.dtype, [1, c.d]), ...g.paramValues() }, l, ['x', W, b])
      jacobian.push(values(r.grads['x']!))
      values(r.grads[W]!).forEach((v, k) => v !== 0 && used.W.add(k))
      values(r.grads[b]!).forEach((v, k) => v !== 0 && used.b.add(k))
    } finally {
      compiled.dispose?.()
    }
  }
  return { jacobian, parameterCount: used.W.size + used.b.size }
}

export async function collapsedStack(ctx: ClaimContext, c: { widths: number[]; n: number; seed: number }) {
  const rng = new Rng(c.seed)
  const Ws = c.widths.slice(1).map((w, i) => values(randomTensor(rng, 'float64', [c.widths[i]!, w])))
  const bs = c.widths.slice(1).map((w) => values(randomTensor(rng, 'float64', [w])))
  const X = randomTensor(rng, ctx.dtype, [c.n, c.widths[0]!])
  const g = new GraphBuilder(ctx.dtype)
  let h = g.input('x', [c.n, c.widths[0]!])
  Ws.forEach((W, i) => (h = dense(g, h, g.const(`W${i}`, td(ctx.dtype, [c.widths[i]!, c.widths[i + 1]!], W)), g.const(`b${i}`, td(ctx.dtype, [c.widths[i + 1]!], bs[i]!)))))
  const stack = await run(ctx, g, h, { x: X })
  // W = W1·W2·…, b = (…(b1·W2 + b2)·W3 …) + bk, in float64
  let W = Ws[0]!
  let b = bs[0]!
  for (let i = 1; i < Ws.length; i++) {
    const [d, m] = [c.widths[i]!, c.widths[i + 1]!]
    W = affine(W, c.widths[0]!, d, Ws[i]!, m, new Array<number>(m).fill(0))
    b = affine(b, 1, d, Ws[i]!, m, bs[i]!)
  }
  const g1 = new GraphBuilder(ctx.dtype)
  const y = dense(g1, g1.input('x', [c.n, c.widths[0]!]), g1.const('W', td(ctx.dtype, [c.widths[0]!, c.widths.at(-1)!], W)), g1.const('b', td(ctx.dtype, [c.widths.at(-1)!], b)))
  return { stack, single: await run(ctx, g1, y, { x: X }) }
}

/**
 * The midpoint gap |f((x+y)/2) − (f(x)+f(y))/2| of a random d-h-1 network: the pair is found in
 * float64 (random pairs in [−6, 6]², and for each hidden unit a pair straddling its hyperplane, where
 * ReLU bends), then measured through the engine, with and without the activation. Weights are kept
 * away from 0 (|w| ≥ 0.5), so every unit bends the map visibly somewhere.
 */
export async function midpointGap(ctx: ClaimContext, c: { act: string; hidden: number; seed: number }) {
  const rng = new Rng(c.seed)
  const away = (n: number) => Array.from({ length: n }, () => (rng.next() < 0.5 ? -1 : 1) * rng.uniform(0.5, 2))
  const [W1, b1, W2, b2] = [away(2 * c.hidden), Array.from({ length: c.hidden }, () => rng.uniform(-1, 1)), away(c.hidden), [rng.uniform(-1, 1)]]
  const f64 = (x: number[], act: (v: number) => number) => W2.reduce((s, w, j) => s + w * act(x[0]! * W1[j]! + x[1]! * W1[c.hidden + j]! + b1[j]!), b2[0]!)
  const straddle = Array.from({ length: c.hidden }, (_, j) => {
    const n = [W1[j]!, W1[c.hidden + j]!]
    const len = Math.hypot(n[0]!, n[1]!)
    const at = n.map((v) => (-b1[j]! * v) / (len * len)) // the foot of the hyperplane
    return [at[0]! + n[0]! / len, at[1]! + n[1]! / len, at[0]! - n[0]! / len, at[1]! - n[1]! / len]
  })
  const candidates = [...straddle, ...Array.from({ length: 64 }, () => [rng.uniform(-6, 6), rng.uniform(-6, 6), rng.uniform(-6, 6), rng.uniform(-6, 6)])]
  const act = ACT[c.act]!
  const gap64 = ([a, b, p, q]: number[]) => Math.abs(f64([(a! + p!) / 2, (b! + q!) / 2], act) - (f64([a!, b!], act) + f64([p!, q!], act)) / 2)
  const pair = candidates.reduce((best, cand) => (gap64(cand) > gap64(best) ? cand : best))
  const [a, b, p, q] = pair
  const gap = async (fn: Activation) => {
    const g = new GraphBuilder(ctx.dtype)
    const x = g.input('x', [3, 2])
    const y = dense(g, dense(g, x, g.const('W1', td(ctx.dtype, [2, c.hidden], W1)), g.const('b1', td(ctx.dtype, [c.hidden], b1)), fn), g.const('W2', td(ctx.dtype, [c.hidden, 1], W2)), g.const('b2', td(ctx.dtype, [1], b2)))
    const f = await run(ctx, g, y, { x: td(ctx.dtype, [3, 2], [a!, b!, p!, q!, (a! + p!) / 2, (b! + q!) / 2]) })
    return Math.abs(f[2]! - (f[0]! + f[1]!) / 2)
  }
  return { gap: await gap(c.act as Activation), expected: gap64(pair), linearGap: await gap('Identity') }
}
