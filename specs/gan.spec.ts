// CLAIMS.md §14 — GANs: sampling as a differentiable function of fed noise, and two players trained
// by alternating gradient steps.
import fc from 'fast-check'
import { claim, control } from '../harness/claim.ts'
import { checkGradient } from '../harness/gradcheck.ts'
import { GraphBuilder } from '../harness/graph_builder.ts'
import { property } from '../harness/property.ts'
import { Rng } from '../contract/rng.ts'
import { allOf, judgeRate, trials } from '../harness/stats.ts'
import { td } from '../harness/tensors.ts'
import { DATA, ganGraph, START, trainGan } from './support/gan.ts'

claim(
  {
    id: 'gan.adversarial-training', kind: ['gradient', 'statistical'], expect: 'confirmed', source: '001', ops: ['Mul', 'Add', 'Neg', 'Softplus', 'ReduceMean'], needs: ['grad'], timeoutMs: 120_000,
    quote: '生成对抗网络…将采样部分替换成了任意的含有可微分参数的算法',
    reading: `The generator g(z) = a·z + b takes seeded noise z as a graph input: the gradient of the discriminator's loss −mean log D(x) − mean log(1 − D(g(z))) (D(x) = σ(w₁x + w₂x² + c)) with respect to a and b, through the samples, passes the gradient check of the tolerance policy (float64 central differences; for float32 engines, the float64 reference) on 10 random cases. A 1-D GAN on data N(${DATA.mean}, ${DATA.std}²), from the far start (a, b) = (${START.a}, ${START.b}) (mean 3 away, scale 4× too wide), with alternating SGD steps on the engine's gradients (discriminator lr 0.2, non-saturating generator loss lr 0.1, batches of 64, 500 steps each) ends with |b − ${DATA.mean}| < 0.5 and |a| within a factor 2 of ${DATA.std} (no collapse) in more than half of 100 seeds (interval above 0.5). Control: the game is played: the generator moves from its start (by more than 0.1) in ≥ 90 of the seeds.`,
  },
  async (ctx) => {
    await property(ctx, fc.record({ seed: fc.nat() }), async ({ seed }) => {
      const r = new Rng(seed)
      // the claim's graph (support/gan.ts) in small, built here uncompiled for the check
      const g = new GraphBuilder(ctx.dtype)
      const [real, z] = [g.input('real', [8, 1]), g.input('z', [8, 1])]
      const [a, b, w1, w2, c] = ['a', 'b', 'w1', 'w2', 'c'].map((n) => g.input(n, [1]))
      const fake = g.op('Add', [g.op('Mul', [z, a!]), b!])
      const logit = (x: string) => g.op('Add', [g.op('Add', [g.op('Mul', [x, w1!]), g.op('Mul', [g.op('Mul', [x, x]), w2!])]), c!])
      const lossD = g.op('Add', [g.op('ReduceMean', [g.op('Softplus', [g.op('Neg', [logit(real)])])], { keepdims: 0 }), g.op('ReduceMean', [g.op('Softplus', [logit(fake)])], { keepdims: 0 })])
      const feeds = {
        real: td(ctx.dtype, [8, 1], Array.from({ length: 8 }, () => r.normal(3, 0.5))),
        z: td(ctx.dtype, [8, 1], Array.from({ length: 8 }, () => r.normal())),
        ...Object.fromEntries(['a', 'b', 'w1', 'w2', 'c'].map((n) => [n, td(ctx.dtype, [1], [r.uniform(-1, 1)])])),
      }
      await checkGradient(ctx, { graph: g.output(lossD).build(), feeds, of: lossD, wrt: ['a', 'b'], what: 'discriminator loss through the generator' })
    }, 10)
    const net = await ganGraph(ctx, 64)
    const ends: { a: number; b: number }[] = []
    let moved = 0
    const t = await trials(ctx, 100, async (rng) => {
      const p = await trainGan(ctx, net, rng.fork('train'), { steps: 500, lrD: 0.2, lrG: 0.1 })
      if (Math.hypot(p.a - START.a, p.b - START.b) > 0.1) moved++
      ends.push({ a: p.a, b: p.b })
      return Math.abs(p.b - DATA.mean) < 0.5 && Math.abs(p.a) >= DATA.std / 2 && Math.abs(p.a) <= 2 * DATA.std
    })
    const med = (v: number[]) => Number([...v].sort((x, y) => x - y)[v.length >> 1]!.toPrecision(3))
    ctx.evidence['generatorAtTheEnd'] = { medianA: med(ends.map((e) => Math.abs(e.a))), medianB: med(ends.map((e) => e.b)), rangeB: [Math.min(...ends.map((e) => e.b)), Math.max(...ends.map((e) => e.b))].map((v) => Number(v.toPrecision(3))) }
    control(ctx, moved >= 90, `the generator moved from its start in only ${moved} of 100 seeds: the players do not train`, { generatorMoved: `${moved} of 100` })
    return allOf('confirmed', judgeRate(ctx, 'generatorMovesToData', t, 0.5))
  },
)
