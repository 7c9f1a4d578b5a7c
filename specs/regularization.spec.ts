// CLAIMS.md §8 — regularization and overfitting.
import fc from 'fast-check'
import { expectClose, expectThat, tolerance } from '../harness/assert.ts'
import { claim, control } from '../harness/claim.ts'
import { Parts } from '../harness/parts.ts'
import { property } from '../harness/property.ts'
import { judgeRate, trials, wilson } from '../harness/stats.ts'
import { dropoutRun, l2Step, overfit, xorGini } from './support/regularization.ts'

claim(
  {
    id: 'regularization.l2-gradient', kind: ['exact', 'gradient'], expect: 'confirmed', source: '000', ops: ['Mul', 'ReduceSum', 'Sum', 'Add', 'Gemm', 'Sub', 'ReduceMean'], needs: ['grad'],
    quote: 'L2 正則化…除以 2 是為了求導方便',
    reading: 'The engine’s gradient of (λ/2)·Σ‖W‖² is λ·W; one SGD step on data loss + penalty equals multiplicative weight decay: W ← (1 − lr·λ)·W − lr·∇(data loss); and, where the engine has optimizers, SGD with weightDecay λ takes the same step (an optimizer that throws on weightDecay fails that part). Parts: penalty gradient, decay step, optimizer weight decay.',
  },
  async (ctx) => {
    const parts = new Parts(ctx)
    await property(ctx, fc.record({ seed: fc.nat(), lambda: fc.double({ min: 1e-3, max: 1, noNaN: true }), lr: fc.double({ min: 1e-3, max: 0.5, noNaN: true }) }), async (p) => {
      const r = await l2Step(ctx, p.seed, p.lambda, p.lr)
      const tol = tolerance(ctx.dtype, { reduction: 8 })
      await parts.check('penalty gradient', () => expectClose(r.penaltyGrad, r.lambdaW, { what: 'grad of (λ/2)Σ‖W‖²', oracle: 'λ·W', tol, replay: ctx.replay }))
      await parts.check('decay step', () => expectClose(r.stepWithPenalty, r.decayed, { what: 'SGD step on loss + L2', oracle: '(1 − lr·λ)·W − lr·∇loss', tol, replay: ctx.replay }))
      if (r.optimizerStep !== undefined) {
        // an engine with optimizers must honour weightDecay (or list this part in its expectations)
        await parts.check('optimizer weight decay', () => {
          expectThat(!(r.optimizerStep instanceof Error), `optimizer sgd with weightDecay threw: ${(r.optimizerStep as Error).message}`, ctx.replay)
          expectClose(r.optimizerStep as number[], r.decayed, { what: 'optimizer sgd with weightDecay', oracle: '(1 − lr·λ)·W − lr·∇loss', tol, replay: ctx.replay })
        })
      }
    }, 30)
    return parts.verdict()
  },
)

claim(
  {
    id: 'regularization.l2-spreads-work', kind: 'statistical', expect: 'refuted', source: '000', ops: ['Gemm', 'Sigmoid', 'Sub', 'Mul', 'ReduceMean', 'ReduceSum', 'Sum', 'Add'], needs: ['grad'],
    quote: '使所有權重平攤任務,讓…都有值',
    reading: 'On XOR with 4 hidden sigmoid units (lr 5, 1000 steps, same seed for both), adding L2 (λ = 1e−3) makes the outgoing weights more even — a lower Gini coefficient of |W2| than without — in more than half of the 100 seeds where both runs solve XOR and the Gini differs (ties say nothing either way and are left out; interval above 0.5 confirms, below refutes). Controls: at least 30 seeds solve XOR both ways, and L2 does what it is: the weight norm ‖W‖ is smaller with L2 in at least 70% of them.',
  },
  async (ctx) => {
    const moreEven = { successes: 0, n: 0 }
    const ginis = { plain: 0, l2: 0 }
    let [solvedBoth, shrunk] = [0, 0]
    await trials(ctx, 100, async (rng) => {
      const [plain, l2] = [await xorGini(ctx, rng.fork('init'), 0), await xorGini(ctx, rng.fork('init'), 1e-3)]
      if (plain === undefined || l2 === undefined) return false
      solvedBoth++
      if (l2.norm < plain.norm) shrunk++
      ginis.plain += plain.gini
      ginis.l2 += l2.gini
      if (l2.gini === plain.gini) return false
      moreEven.n++
      if (l2.gini < plain.gini) moreEven.successes++
      return l2.gini < plain.gini
    })
    ctx.evidence['meanGini'] = { withoutL2: ginis.plain / Math.max(1, solvedBoth), withL2: ginis.l2 / Math.max(1, solvedBoth) }
    control(ctx, solvedBoth >= 30, `only ${solvedBoth} of 100 seeds solved XOR with and without L2`, { solvedBoth: `${solvedBoth} of 100` })
    control(ctx, shrunk >= 0.7 * solvedBoth, `L2 shrank the weights in only ${shrunk} of ${solvedBoth} seeds: the penalty does not act`, { l2ShrankWeights: `${shrunk} of ${solvedBoth}` })
    return judgeRate(ctx, 'l2MoreEven', moreEven, 0.5)
  },
)

claim(
  {
    id: 'regularization.dropout', kind: ['exact', 'statistical'], expect: 'confirmed', source: '001, 004', ops: ['Dropout'],
    quote: '丢弃法…在整个网络中注入噪声; 采用正则化技术、Dropout等方法来减少过拟合',
    reading: 'Inverted dropout with rate p ∈ {0.1, 0.5, 0.8} in training mode zeroes a fraction of 20 000 units within 4 binomial standard errors of p, at random (the even and the odd units each within 4 s.e. of p; two seeds give masks that agree on fewer units than p² + (1 − p)² + a margin, i.e. < 1 − p(1 − p)), scales every survivor by exactly 1/(1 − p), keeps the mean within 4 standard errors; at inference it is the identity.',
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
      // at random: no position pattern (even and odd units dropped alike), and another seed gives another mask
      const se = 4 * Math.sqrt((p * (1 - p)) / 10_000)
      expectThat(Math.abs(r.zeroEven - p) < se && Math.abs(r.zeroOdd - p) < se, `Dropout(${p}) drops ${r.zeroEven} of even and ${r.zeroOdd} of odd units: the mask follows position`, ctx.replay)
      expectThat(r.sameMaskOtherSeed < 1 - p * (1 - p), `Dropout(${p}) gives nearly the same mask for two seeds (${r.sameMaskOtherSeed} of units agree)`, ctx.replay)
    }
    ctx.evidence['zeroFraction'] = rates
    return 'confirmed'
  },
)

claim(
  {
    id: 'regularization.overfitting', kind: 'statistical', expect: 'confirmed', source: '003', ops: ['Gemm', 'Tanh', 'Sub', 'Mul', 'ReduceMean', 'ReduceSum', 'Sum', 'Add'], needs: ['grad'],
    quote: '当模型从训练数据(包括随机噪声)中学习太多时,就会发生这种情况',
    reading: 'A 1-16-1 tanh network (49 parameters) fitted by GD (lr 0.15, 1000 steps) to 5 noisy samples of sin on [−3, 3] (noise σ = 0.3) overfits — training MSE below half the noise variance (0.045) while the MSE on 125 fresh samples is more than twice the training MSE — in more than half of 100 trials (Wilson interval above 0.5; null model: a coin). Budget and sizes were set so that the premise holds (near-zero training loss): the earlier 8-sample, 800-step design left the training loss above 0.045 in about half the runs, so its verdict turned with the seed. L2 (λ = 3e−3, same data and initial weights) is measured and reported, not judged: it narrows the gap between fresh and training MSE in ≈ 57% of trials (measured over 7 seeds × 150 trials; at λ = 3e−2 in half), an effect too small for a verdict that holds on every seed at an affordable number of trials (about 1,500 would be needed), so the verdict is on the quote, overfitting. Control: training lowers the training MSE in at least 90% of the trials.',
    timeoutMs: 120_000,
  },
  async (ctx) => {
    const [overfits, narrows] = [{ successes: 0, n: 0 }, { successes: 0, n: 0 }]
    const gaps: number[][] = []
    let trained = 0
    await trials(ctx, 100, async (rng, i) => {
      const r = await overfit(ctx, rng)
      if (r.plain.train < r.plain.initial) trained++
      overfits.n++
      narrows.n++
      if (r.plain.train < 0.045 && r.plain.test > 2 * r.plain.train) overfits.successes++
      if (r.l2.test - r.l2.train < r.plain.test - r.plain.train) narrows.successes++
      if (i < 10) gaps[i] = [r.plain.train, r.plain.test, r.l2.train, r.l2.test].map((v) => Number(v.toPrecision(3)))
      return true
    })
    ctx.evidence['firstRuns[trainPlain, testPlain, trainL2, testL2]'] = gaps
    control(ctx, trained >= 90, `training lowered the training loss in only ${trained} of 100 trials`, { trainedInTrials: `${trained} of 100` })
    const [lo, hi] = wilson(narrows.successes, narrows.n)
    ctx.evidence['l2NarrowsGap (measured, not judged)'] = { successes: narrows.successes, n: narrows.n, interval: [Number(lo.toFixed(4)), Number(hi.toFixed(4))] }
    return judgeRate(ctx, 'overfits', overfits, 0.5)
  },
)
