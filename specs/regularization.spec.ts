// CLAIMS.md §8 — regularization and overfitting.
import fc from 'fast-check'
import { expectClose, expectThat, tolerance } from '../harness/assert.ts'
import { claim } from '../harness/claim.ts'
import { property } from '../harness/property.ts'
import { judgeRate, trials } from '../harness/stats.ts'
import { dropoutRun, l2Step, overfit, xorGini } from './support/regularization.ts'

claim(
  {
    id: 'regularization.l2-gradient', kind: ['exact', 'gradient'], expect: 'confirmed', source: '000', ops: ['Mul', 'ReduceSum', 'Sum', 'Add', 'Gemm', 'Sub', 'ReduceMean'], needs: ['grad'],
    quote: 'L2 正則化…除以 2 是為了求導方便',
    reading: 'The engine’s gradient of (λ/2)·Σ‖W‖² is λ·W; one SGD step on data loss + penalty equals multiplicative weight decay: W ← (1 − lr·λ)·W − lr·∇(data loss); and, where the engine has optimizers, SGD with weightDecay λ takes the same step.',
  },
  async (ctx) => {
    await property(ctx, fc.record({ seed: fc.nat(), lambda: fc.double({ min: 1e-3, max: 1, noNaN: true }), lr: fc.double({ min: 1e-3, max: 0.5, noNaN: true }) }), async (p) => {
      const r = await l2Step(ctx, p.seed, p.lambda, p.lr)
      const tol = tolerance(ctx.dtype, { reduction: 8 })
      expectClose(r.penaltyGrad, r.lambdaW, { what: 'grad of (λ/2)Σ‖W‖²', oracle: 'λ·W', tol, replay: ctx.replay })
      expectClose(r.stepWithPenalty, r.decayed, { what: 'SGD step on loss + L2', oracle: '(1 − lr·λ)·W − lr·∇loss', tol, replay: ctx.replay })
      if (r.optimizerStep) expectClose(r.optimizerStep, r.decayed, { what: 'optimizer sgd with weightDecay', oracle: '(1 − lr·λ)·W − lr·∇loss', tol, replay: ctx.replay })
    }, 30)
    return 'confirmed'
  },
)

claim(
  {
    id: 'regularization.l2-spreads-work', kind: 'statistical', expect: 'refuted', source: '000', ops: ['Gemm', 'Sigmoid', 'Sub', 'Mul', 'ReduceMean', 'ReduceSum', 'Sum', 'Add'], needs: ['grad'],
    quote: '使所有權重平攤任務,讓…都有值',
    reading: 'On XOR with 4 hidden sigmoid units (lr 5, 1000 steps, same seed for both), adding L2 (λ = 1e−3) makes the outgoing weights more even — a lower Gini coefficient of |W2| than without — in more than half of the 100 seeds where both runs solve XOR (interval above 0.5).',
  },
  async (ctx) => {
    const both = { successes: 0, n: 0 }
    const ginis = { plain: 0, l2: 0 }
    await trials(ctx, 100, async (rng) => {
      const [plain, l2] = [await xorGini(ctx, rng.fork('init'), 0), await xorGini(ctx, rng.fork('init'), 1e-3)]
      if (plain === undefined || l2 === undefined) return false
      both.n++
      ginis.plain += plain
      ginis.l2 += l2
      if (l2 < plain) both.successes++
      return l2 < plain
    })
    ctx.evidence['meanGini'] = { withoutL2: ginis.plain / Math.max(1, both.n), withL2: ginis.l2 / Math.max(1, both.n) }
    return judgeRate(ctx, 'l2MoreEven', both, 0.5)
  },
)

claim(
  {
    id: 'regularization.dropout', kind: ['exact', 'statistical'], expect: 'confirmed', source: '001, 004', ops: ['Dropout'],
    quote: '丢弃法…在整个网络中注入噪声; 采用正则化技术、Dropout等方法来减少过拟合',
    reading: 'Inverted dropout with rate p ∈ {0.1, 0.5, 0.8} in training mode zeroes a fraction of 20 000 units within 4 binomial standard errors of p, scales every survivor by exactly 1/(1 − p), keeps the mean within 4 standard errors; at inference it is the identity.',
  },
  async (ctx) => {
    const rates: Record<string, number> = {}
    for (const p of [0.1, 0.5, 0.8]) {
      const r = await dropoutRun(ctx, p, 20_000)
      rates[String(p)] = r.zeroFraction
      expectThat(Math.abs(r.zeroFraction - p) < 4 * Math.sqrt((p * (1 - p)) / 20_000), `Dropout(${p}) zeroed a fraction ${r.zeroFraction}`, ctx.replay)
      expectClose(r.survivorScale, r.survivorScale.map(() => 1 / (1 - p)), { what: `Dropout(${p}) survivor scale`, oracle: '1/(1 − p)', tol: tolerance(ctx.dtype), replay: ctx.replay })
      expectThat(Math.abs(r.meanOut - r.meanIn) < 4 * r.meanSe, `Dropout(${p}) changed the mean from ${r.meanIn} to ${r.meanOut}`, ctx.replay)
      expectClose(r.inference, r.input, { what: `Dropout(${p}) at inference`, oracle: 'the input', tol: { rtol: 0, atol: 0 }, replay: ctx.replay })
    }
    ctx.evidence['zeroFraction'] = rates
    return 'confirmed'
  },
)

claim(
  {
    id: 'regularization.overfitting', kind: 'statistical', expect: 'inconclusive', source: '003', ops: ['Gemm', 'Tanh', 'Sub', 'Mul', 'ReduceMean', 'ReduceSum', 'Sum', 'Add'], needs: ['grad'],
    quote: '当模型从训练数据(包括随机噪声)中学习太多时,就会发生这种情况',
    reading: 'A 1-16-1 tanh network (49 parameters) trained on 8 noisy samples of sin (noise σ = 0.3; lr 0.2, 800 steps) overfits — training MSE below half the noise variance while fresh-data MSE is more than twice the training MSE — in more than half of 100 seeds; and L2 (λ = 1e−2) narrows the gap between fresh and training MSE in more than half of them (both intervals above 0.5).',
    timeoutMs: 120_000,
  },
  async (ctx) => {
    const overfits = { successes: 0, n: 0 }
    const narrows = { successes: 0, n: 0 }
    const gaps: number[][] = []
    await trials(ctx, 100, async (rng, i) => {
      const r = await overfit(ctx, rng)
      overfits.n++
      narrows.n++
      if (r.plain.train < 0.045 && r.plain.test > 2 * r.plain.train) overfits.successes++
      if (r.l2.test - r.l2.train < r.plain.test - r.plain.train) narrows.successes++
      if (i < 10) gaps[i] = [r.plain.train, r.plain.test, r.l2.train, r.l2.test].map((v) => Number(v.toPrecision(3)))
      return true
    })
    ctx.evidence['firstRuns[trainPlain, testPlain, trainL2, testL2]'] = gaps
    const a = judgeRate(ctx, 'overfits', overfits, 0.5)
    const b = judgeRate(ctx, 'l2NarrowsGap', narrows, 0.5)
    return a === 'confirmed' && b === 'confirmed' ? 'confirmed' : a === 'refuted' || b === 'refuted' ? 'refuted' : 'inconclusive'
  },
)
