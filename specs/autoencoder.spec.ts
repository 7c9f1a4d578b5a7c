// CLAIMS.md §14 — autoencoders: a shallow (linear) one learns the principal subspace, a deep one
// follows a curve no linear one can.
import { expectThat } from '../harness/assert.ts'
import { claim, control } from '../harness/claim.ts'
import { Rng } from '../contract/rng.ts'
import { allOf, judgeRate, trials } from '../harness/stats.ts'
import { autoencoder, decoderRows, gaussianData, halfCircle, largestPrincipalAngle, pca } from './support/autoencoder.ts'

const AE_OPS = ['MatMul', 'Gemm', 'Tanh', 'Sub', 'Mul', 'ReduceMean']

claim(
  {
    id: 'autoencoder.depth', kind: ['exact', 'statistical'], expect: 'confirmed', source: '004', ops: AE_OPS, needs: ['grad'], timeoutMs: 120_000,
    quote: '自编码器可以是很浅的网络,也可以很深',
    reading: 'Shallow: a linear autoencoder 4 → 2 → 4 (two bias-free matrices) trained on MSE (SGD lr 0.1, 800 steps, the engine’s gradients) on 64 centred points with covariance spectrum 4, 2, 0.3, 0.1 learns the span of the top-2 principal components, as Baldi and Hornik proved: for each of 10 seeds, the largest principal angle between its decoder’s row space and the float64 top-2 eigenvectors is below 2°, and its loss is within 2% of the PCA reconstruction error. Deep: on 32 points of a half circle, a 2-8-1-8-2 tanh autoencoder (linear code and output; lr 0.2, 600 steps) ends below the best any linear autoencoder with the same 1-unit bottleneck can do (the PCA-1 error, computed in float64) in more than half of 100 seeds (interval above 0.5). Controls: both trainers move their loss (deep: below half its initial value in ≥ 90 of 100 seeds; the linear 2-1-2 one: within 2% of the PCA-1 error in ≥ 90 of 100).',
  },
  async (ctx) => {
    const data = gaussianData(new Rng(1), 64, [4, 2, 0.3, 0.1])
    const p2 = pca(data, 2)
    const linear = await autoencoder(ctx, [4, 2, 4], 64)
    const shallow: { angleDeg: number; lossOverPca: number }[] = []
    await trials(ctx, 10, async (rng, i) => {
      const f = await linear.fit(data, rng, 0.1, 800)
      const angle = (largestPrincipalAngle(decoderRows(f.params, 2, 4), p2.top) * 180) / Math.PI
      shallow[i] = { angleDeg: Number(angle.toPrecision(3)), lossOverPca: Number((f.final / p2.error).toPrecision(5)) }
      expectThat(angle < 2, `seed ${i}: the linear autoencoder's decoder is ${angle.toFixed(2)}° from the top-2 principal subspace (bound 2°)`, ctx.replay)
      expectThat(Math.abs(f.final / p2.error - 1) < 0.02, `seed ${i}: the linear autoencoder's loss ${f.final} is not within 2% of the PCA error ${p2.error}`, ctx.replay)
      return true
    })
    ctx.evidence['shallow'] = { pcaError: Number(p2.error.toPrecision(5)), worstAngleDeg: Math.max(...shallow.map((s) => s.angleDeg)), worstLossOverPca: Math.max(...shallow.map((s) => s.lossOverPca)) }
    const arc = halfCircle(new Rng(2), 32)
    const p1 = pca(arc, 1)
    const [deep, line] = [await autoencoder(ctx, [2, 8, 1, 8, 2], 32), await autoencoder(ctx, [2, 1, 2], 32)]
    let [deepMoved, lineReached] = [0, 0]
    const losses: number[] = []
    const t = await trials(ctx, 100, async (rng) => {
      const [d, l] = [await deep.fit(arc, rng.fork('deep'), 0.2, 600), await line.fit(arc, rng.fork('line'), 0.2, 600)]
      if (d.final < 0.5 * d.initial) deepMoved++
      if (Math.abs(l.final / p1.error - 1) < 0.02) lineReached++
      losses.push(d.final)
      return d.final < p1.error
    })
    ctx.evidence['deep'] = { linearOptimum: Number(p1.error.toPrecision(4)), medianDeepLoss: Number([...losses].sort((a, b) => a - b)[50]!.toPrecision(3)) }
    control(ctx, deepMoved >= 90 && lineReached >= 90, `the trainers did not train: the deep loss fell below half in ${deepMoved} of 100 seeds, the linear one reached the PCA error in ${lineReached}`, { deepLossHalved: `${deepMoved} of 100`, linearReachedPca: `${lineReached} of 100` })
    return allOf('confirmed', judgeRate(ctx, 'deepBeatsLinearOptimum', t, 0.5))
  },
)
