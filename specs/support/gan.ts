// A one-dimensional GAN as an engine graph: the generator g(z) = a·z + b turns fed noise z into
// samples (the "sampling replaced by a differentiable algorithm"), a quadratic logistic discriminator
// D(x) = σ(w₁x + w₂x² + c) (quadratic: the optimal discriminator between two Gaussians) scores real
// and generated samples. Both players take alternating SGD steps on the engine's gradients.
import { perClaim, requireGrad, type ClaimContext } from '../../harness/claim.ts'
import type { Compiled, TensorData } from '../../contract/types.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import type { Rng } from '../../contract/rng.ts'
import { td, values } from '../../harness/tensors.ts'

export const DATA = { mean: 3, std: 0.5 }
export const START = { a: 2, b: 0 }

export interface GanGraph {
  c: Compiled & Required<Pick<Compiled, 'valueAndGrad'>>
  /** the discriminator's loss −mean log D(real) − mean log(1 − D(g(z))) and the generator's −mean log D(g(z)) */
  lossD: string
  lossG: string
  m: number
}

/** The graph for batches of m real samples and m noise values; compiled once per claim run. */
export function ganGraph(ctx: ClaimContext, m: number): Promise<GanGraph> {
  return perClaim(ctx, `gan/${m}`, async () => {
    const g = new GraphBuilder(ctx.dtype)
    const [real, z] = [g.input('real', [m, 1]), g.input('z', [m, 1])]
    const [a, b, w1, w2, c] = ['a', 'b', 'w1', 'w2', 'c'].map((n) => g.input(n, [1]))
    const fake = g.op('Add', [g.op('Mul', [z, a!]), b!], {}, 'generator')
    const logit = (x: string, tag: string) => g.op('Add', [g.op('Add', [g.op('Mul', [x, w1!]), g.op('Mul', [g.op('Mul', [x, x]), w2!])]), c!], {}, `logit/${tag}`)
    const [sReal, sFake] = [logit(real, 'real'), logit(fake, 'fake')]
    // −log σ(s) = softplus(−s), −log(1 − σ(s)) = softplus(s): the stable forms
    const mean = (x: string, name: string) => g.op('ReduceMean', [x], { keepdims: 0 }, name)
    const lossD = g.op('Add', [mean(g.op('Softplus', [g.op('Neg', [sReal])]), 'd/real'), mean(g.op('Softplus', [sFake]), 'd/fake')], {}, 'lossD')
    const lossG = mean(g.op('Softplus', [g.op('Neg', [sFake])]), 'lossG')
    const compiled = await ctx.engine.compile(g.output(lossD, lossG, fake).build())
    requireGrad(compiled)
    return { c: compiled, lossD, lossG, m }
  })
}

const scalar = (ctx: ClaimContext, v: number) => td(ctx.dtype, [1], [v])
/** m draws of f in order, written straight into the tensor: 2 batches per step, 10⁵ steps per claim. */
function batch(ctx: ClaimContext, m: number, f: () => number): TensorData {
  const data = ctx.dtype === 'float32' ? new Float32Array(m) : new Float64Array(m)
  for (let i = 0; i < m; i++) data[i] = f()
  return { dtype: ctx.dtype, shape: [m, 1], data }
}

/** Alternating SGD: a discriminator step on lossD, then a generator step on lossG, `steps` times. */
export async function trainGan(ctx: ClaimContext, net: GanGraph, rng: Rng, o: { steps: number; lrD: number; lrG: number }) {
  const p = { a: START.a, b: START.b, w1: 0, w2: 0, c: 0 }
  const feedsOf = (): Record<string, TensorData> => ({
    real: batch(ctx, net.m, () => rng.normal(DATA.mean, DATA.std)),
    z: batch(ctx, net.m, () => rng.normal()),
    ...Object.fromEntries(Object.entries(p).map(([k, v]) => [k, scalar(ctx, v)])),
  })
  for (let t = 0; t < o.steps; t++) {
    const d = await net.c.valueAndGrad(feedsOf(), net.lossD, ['w1', 'w2', 'c'])
    for (const k of ['w1', 'w2', 'c'] as const) p[k] -= o.lrD * values(d.grads[k]!)[0]!
    const gr = await net.c.valueAndGrad(feedsOf(), net.lossG, ['a', 'b'])
    for (const k of ['a', 'b'] as const) p[k] -= o.lrG * values(gr.grads[k]!)[0]!
    if (!Number.isFinite(p.a) || !Number.isFinite(p.b)) break
  }
  return p
}
