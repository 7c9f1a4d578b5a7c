// CLAIMS.md §2 — what a network can and cannot represent. Training: full-batch SGD (harness update)
// on MSE with sigmoid units, lr 5, at most 1500 steps, stopping once every example is classified.
import fc from 'fast-check'
import { expectClose, expectThat, tolerance } from '../harness/assert.ts'
import { claim, control, type Verdict } from '../harness/claim.ts'
import type { Rng } from '../contract/rng.ts'
import { property } from '../harness/property.ts'
import { allOf, judgeRate, trials } from '../harness/stats.ts'
import { accuracy, fit, gini, giniNull95, network, patterns, predictOn, table, XOR } from './support/capacity.ts'
import { affineScores, constructiveNetwork, monotoneScalar, xorLossBound } from './support/capacity_exact.ts'

const BUDGET = { lr: 5, steps: 1500 }
const col = (ys: number[]) => ys.map((y) => [y])
const SIG = ['Gemm', 'Sigmoid', 'Sub', 'Mul', 'ReduceMean']

claim(
  {
    id: 'capacity.perceptron-and-or-not', kind: 'statistical', expect: 'confirmed', source: '004', ops: SIG, needs: ['grad'],
    quote: '感知机能容易的实现逻辑与、或、非运算',
    reading: 'A sigmoid unit without hidden layer trained from 100 seeds on each of AND, OR (2 inputs) and NOT (1 input) reaches 100% accuracy; confirmed if each success rate’s 95% Wilson interval lies above 0.95.',
  },
  async (ctx) => {
    const tasks: [string, number[][], number[]][] = [['AND', patterns(2), [0, 0, 0, 1]], ['OR', patterns(2), [0, 1, 1, 1]], ['NOT', patterns(1), [1, 0]]]
    const verdicts: Verdict[] = []
    for (const [name, xs, ys] of tasks) {
      const net = await network(ctx, { sizes: [xs[0]!.length, 1] }, xs.length)
      verdicts.push(judgeRate(ctx, name, await trials(ctx, 100, async (rng) => (await fit(net, rng, xs, col(ys), BUDGET)).accuracy === 1), 0.95))
    }
    return allOf(...verdicts)
  },
)

claim(
  {
    id: 'capacity.perceptron-linear-only', kind: ['exact', 'statistical'], expect: 'confirmed', source: '004', ops: SIG, needs: ['grad'],
    quote: '感知器只能做简单的线性分类任务',
    reading: 'Of the 16 Boolean functions of 2 inputs exactly 14 are linearly separable: each of the 14 is shown by explicit weights (classified correctly by the engine’s Gemm), XOR and XNOR are impossible because every affine score has s(0,0)+s(1,1) = s(0,1)+s(1,0). Trained from 10 seeds each, a no-hidden-layer sigmoid net fits all 14 every time and never exceeds 75% on XOR/XNOR.',
  },
  async (ctx) => {
    const { separators } = await import('./support/capacity_exact.ts')
    const sep = await separators(ctx)
    ctx.evidence['separable'] = sep.separable
    expectThat(sep.separable.length === 14 && !sep.separable.includes(6) && !sep.separable.includes(9), `separable functions ${sep.separable} are not the 14 without XOR (6) and XNOR (9)`, ctx.replay)
    const net = await network(ctx, { sizes: [2, 1] }, 4)
    const fitted: Record<number, number> = {}
    for (let f = 0; f < 16; f++) {
      const t = await trials(ctx, 10, async (rng) => {
        const a = (await fit(net, rng, patterns(2), col(table(f, 2)), BUDGET)).accuracy
        if (f === 6 || f === 9) expectThat(a <= 0.75, `function ${f} (${f === 6 ? 'XOR' : 'XNOR'}) reached accuracy ${a} without a hidden layer`, ctx.replay)
        return a === 1
      })
      fitted[f] = t.successes
    }
    ctx.evidence['fittedOutOf10'] = fitted
    const missed = Object.entries(fitted).filter(([f, k]) => f !== '6' && f !== '9' && k < 10)
    expectThat(missed.length === 0, `separable functions not fitted at every seed: ${JSON.stringify(missed)}`, ctx.replay)
    return 'confirmed'
  },
)

claim(
  {
    id: 'capacity.xor-needs-hidden-layer', kind: ['exact', 'statistical'], expect: 'confirmed', source: '000, 003', ops: SIG, needs: ['grad'],
    quote: '該網絡結構連 XOR 關聯的分類都無法分開; 将线性形式应用于非线性问题将导致性能下降',
    reading: 'Proof by bound: the engine’s affine scores satisfy s(0,0)+s(1,1) = s(0,1)+s(1,0) (fast-check over weights), so no threshold gets more than 3 of 4 XOR cases; with a sigmoid output the MSE is ≥ 1/4 (minimum over the constraint, computed on a float64 grid). Trained from 100 seeds: the success rate (4/4) has its interval below 0.05 and no run’s loss goes below the bound. Positive control: the same trainer and budget solve XOR with a 2-4-1 network in at least 15 of 30 seeds.',
  },
  async (ctx) => {
    await property(ctx, fc.record({ w1: fc.double({ min: -10, max: 10, noNaN: true }), w2: fc.double({ min: -10, max: 10, noNaN: true }), b: fc.double({ min: -10, max: 10, noNaN: true }) }), async (p) => {
      const [s00, s01, s10, s11] = await affineScores(ctx, p.w1, p.w2, p.b)
      expectClose(s00! + s11!, s01! + s10!, { what: 's(0,0)+s(1,1)', oracle: 's(0,1)+s(1,0)', tol: tolerance(ctx.dtype, { reduction: 4 }), replay: ctx.replay })
    })
    const bound = xorLossBound()
    ctx.evidence['mseLowerBound'] = bound
    const net = await network(ctx, { sizes: [2, 1] }, 4)
    let lowest = Infinity
    const t = await trials(ctx, 100, async (rng) => {
      const f = await fit(net, rng, patterns(2), col(XOR), BUDGET)
      lowest = Math.min(lowest, f.loss)
      return f.accuracy === 1
    })
    ctx.evidence['lowestTrainedLoss'] = lowest
    expectThat(lowest >= bound - tolerance(ctx.dtype).rtol, `a trained run reached loss ${lowest}, below the bound ${bound}`, ctx.replay)
    // positive control: the same trainer, given a hidden layer, does solve XOR (else "cannot" says nothing)
    const hidden = await network(ctx, { sizes: [2, 4, 1] }, 4)
    const withHidden = await trials(ctx, 30, async (rng) => (await fit(hidden, rng.fork('control'), patterns(2), col(XOR), BUDGET)).accuracy === 1)
    control(ctx, withHidden.successes >= 15, `positive control: the same trainer solved XOR with a 2-4-1 network in only ${withHidden.successes} of 30 seeds`, { solvedWithHiddenLayer: `${withHidden.successes} of 30` })
    const v = judgeRate(ctx, 'xorSolvedWithoutHidden', t, 0.05)
    return v === 'refuted' ? 'confirmed' : v === 'confirmed' ? 'refuted' : 'inconclusive'
  },
)

claim(
  {
    id: 'capacity.or-without-hidden-layer', kind: 'statistical', expect: 'confirmed', source: '000', ops: SIG, needs: ['grad'],
    quote: '很接近,但有誤差…大于 0.5 的就是 1…可以完美分開',
    reading: 'A 2-input sigmoid unit without hidden layer trained on OR from 100 seeds classifies all 4 cases at threshold 0.5 (interval above 0.95), while its predictions are never exactly the targets (0 < p < 1).',
  },
  async (ctx) => {
    const net = await network(ctx, { sizes: [2, 1] }, 4)
    let closest = Infinity
    const t = await trials(ctx, 100, async (rng) => {
      const f = await fit(net, rng, patterns(2), col([0, 1, 1, 1]), BUDGET)
      closest = Math.min(closest, ...f.predictions.map((p, i) => Math.abs(p - [0, 1, 1, 1][i]!)))
      return f.accuracy === 1
    })
    ctx.evidence['smallestError'] = closest
    expectThat(closest > 0, 'a prediction equals its target exactly', ctx.replay)
    return judgeRate(ctx, 'orSolved', t, 0.95)
  },
)

claim(
  {
    id: 'capacity.scalar-encoding-monotone', kind: 'exact', expect: 'confirmed', source: '000', ops: ['Gemm', 'Sigmoid'],
    quote: '方式1: 4 種狀態以 1 個輸入節點表示,無隱藏層',
    reading: 'With the four states as one scalar x ∈ {0,1,2,3} and y = σ(wx+b), the engine’s outputs are monotone in x for every w, b (fast-check); so OR-like labels (0,1,1,1) are representable (w = 10, b = −5 classifies them) and XOR-like labels (0,1,1,0), being non-monotone, are not.',
  },
  async (ctx) => {
    await property(ctx, fc.record({ w: fc.double({ min: -20, max: 20, noNaN: true }), b: fc.double({ min: -20, max: 20, noNaN: true }) }), async ({ w, b }) => {
      const ys = await monotoneScalar(ctx, w, b)
      const up = ys.every((y, i) => i === 0 || y >= ys[i - 1]!)
      const down = ys.every((y, i) => i === 0 || y <= ys[i - 1]!)
      expectThat(up || down, `σ(${w}·x + ${b}) on x = 0..3 is not monotone: ${ys}`, ctx.replay)
    })
    const or = await monotoneScalar(ctx, 10, -5)
    expectThat(accuracy(or, [0, 1, 1, 1]) === 1, `w = 10, b = −5 does not classify OR-like labels: ${or}`, ctx.replay)
    return 'confirmed'
  },
)

claim(
  {
    id: 'capacity.xor-with-hidden-layer', kind: 'statistical', expect: 'confirmed', source: '000', ops: SIG, needs: ['grad'],
    quote: '加入一個擁有 2 個節點隱藏層',
    reading: 'From 100 seeds each, a 2-2-1 sigmoid network reaches 100% on XOR for a stated fraction of seeds (interval above 0.5) and a 2-4-1 network for a higher fraction: the 2-4-1 interval lies entirely above the 2-2-1 interval.',
  },
  async (ctx) => {
    const rate = async (h: number) => {
      const net = await network(ctx, { sizes: [2, h, 1] }, 4)
      return trials(ctx, 100, async (rng) => (await fit(net, rng, patterns(2), col(XOR), BUDGET)).accuracy === 1)
    }
    const [two, four] = [await rate(2), await rate(4)]
    const v2 = judgeRate(ctx, 'hidden2', two, 0.5)
    judgeRate(ctx, 'hidden4', four, 0.5)
    const [lo4, hi2] = [(ctx.evidence['hidden4'] as { interval: number[] }).interval[0]!, (ctx.evidence['hidden2'] as { interval: number[] }).interval[1]!]
    return allOf(v2, lo4 > hi2 ? 'confirmed' : four.successes < two.successes ? 'refuted' : 'inconclusive')
  },
)

claim(
  {
    id: 'capacity.hidden-units-idle', kind: 'statistical', expect: 'refuted', source: '000', ops: SIG, needs: ['grad'],
    quote: '只有兩個節點在工作…a和c的節點在濫竽充數',
    reading: 'A 2-4-1 sigmoid network trained on XOR without regularization (100 seeds, the full 1500 steps at lr 5, not stopped at the first correct classification) has uneven outgoing weight magnitudes beyond chance: among the runs that solve XOR, the Gini coefficient of |W2| exceeds the null model’s 95th percentile (Gini of 4 iid Glorot-uniform weights, ≈ 0.47, computed from 20 000 seeded draws) in more than half of them (interval above 0.5; below it refutes). Control: at least 30 of the 100 runs solve XOR. Mean Gini is kept for comparison with regularization.l2-spreads-work.',
  },
  async (ctx) => {
    const net = await network(ctx, { sizes: [2, 4, 1] }, 4)
    const threshold = giniNull95(4)
    const ginis: number[] = []
    const uneven = { successes: 0, n: 0 }
    await trials(ctx, 100, async (rng) => {
      const f = await fit(net, rng, patterns(2), col(XOR), { ...BUDGET, fullBudget: true })
      if (f.accuracy < 1) return false
      const g = gini(Array.from(f.params['W2']!.data as ArrayLike<number>))
      ginis.push(g)
      uneven.n++
      if (g > threshold) uneven.successes++
      return g > threshold
    })
    Object.assign(ctx.evidence, { nullGini95: Number(threshold.toPrecision(3)), meanGini: ginis.reduce((a, b) => a + b, 0) / Math.max(1, ginis.length) })
    control(ctx, uneven.n >= 30, `only ${uneven.n} of 100 runs solved XOR: too few to judge their weights`, { solved: `${uneven.n} of 100` })
    return judgeRate(ctx, 'unevenBeyondChance', uneven, 0.5)
  },
)

claim(
  {
    id: 'capacity.universal-approximation-boolean', kind: ['exact', 'statistical'], expect: 'confirmed', source: '000', ops: SIG, needs: ['grad'],
    quote: '具有一個隱藏層的神經網絡可以模擬任何函數,最糟的情況需要 k^n 個節點',
    reading: 'Constructively, one hidden layer of 2^n sigmoid units (unit k fires only on pattern k; weights in closed form) represents every Boolean function: all 16 for n = 2 and all 256 for n = 3, checked through the engine. By training, 3-8-1 networks fit 100 random 3-input functions (one seed each) with a success-rate interval above 0.8.',
  },
  async (ctx) => {
    for (const n of [2, 3]) {
      const wrong = await constructiveNetwork(ctx, n)
      expectThat(wrong.length === 0, `the constructive ${2 ** n}-unit network misclassifies functions ${wrong.slice(0, 10)} of n = ${n}`, ctx.replay)
    }
    const net = await network(ctx, { sizes: [3, 8, 1] }, 8)
    const t = await trials(ctx, 100, async (rng) => (await fit(net, rng, patterns(3), col(table(rng.int(256), 3)), BUDGET)).accuracy === 1)
    return judgeRate(ctx, 'trained3bit', t, 0.8)
  },
)

claim(
  {
    id: 'capacity.non-function-irreducible', kind: ['exact', 'statistical'], expect: 'confirmed', source: '000', ops: SIG, needs: ['grad'],
    quote: '非函數…XOR 門的輸入空間和輸出空間若互換位置,則神經網絡擬合出來的可能性就非常低',
    reading: 'Inverse XOR (y ∈ {0,1} → the two x with XOR(x) = y) has MSE ≥ the conditional variance 1/4 for every predictor: checked on the engine for random 1-4-2 networks (fast-check); trained from 100 seeds (600 steps), networks converge to the conditional mean (every output within 0.05 of 0.5; interval above 0.9).',
  },
  async (ctx) => {
    const { inverseXor } = await import('./support/capacity_exact.ts')
    const net = await network(ctx, { sizes: [1, 4, 2] }, 4)
    const { xs, ys } = inverseXor()
    await property(ctx, fc.nat(), async (seed) => {
      const { Rng } = await import('../contract/rng.ts')
      const f = await fit(net, new Rng(seed), xs, ys, { lr: 0, steps: 1 })
      expectThat(f.loss >= 0.25 - 1e-6, `a 1-4-2 network has MSE ${f.loss} below the irreducible 1/4`, ctx.replay)
    }, 30)
    const t = await trials(ctx, 100, async (rng) => {
      const f = await fit(net, rng, xs, ys, { lr: 5, steps: 600, fullBudget: true })
      return f.predictions.every((p) => Math.abs(p - 0.5) < 0.05)
    })
    return judgeRate(ctx, 'convergedToConditionalMean', t, 0.9)
  },
)

claim(
  {
    id: 'capacity.deep-vs-shallow-data', kind: 'statistical', expect: 'inconclusive', source: '000', ops: SIG, needs: ['grad'],
    quote: '方式4: 8 種狀態 → 2 種狀態…只需要 3,4 不同數據個就可以訓練好',
    reading: 'Target f(x) = (x1 XOR x2) AND x3. Trained on 6 of the 8 patterns (random subset and seed per trial, 100 trials each), a deep narrow 3-2-3-1 net generalizes to both held-out patterns more often than a shallow wide 3-8-1: confirmed if the deep interval lies above the shallow one, refuted if below, inconclusive if they overlap. Control: each network fits its 6 training patterns in at least 50 of its 100 trials (an engine that cannot train says nothing about generalization).',
  },
  async (ctx) => {
    const target = patterns(3).map(([a, b, c]) => (a! ^ b!) & c!)
    const fitted: Record<string, number> = {}
    const rate = async (sizes: number[], label: string) => {
      const net = await network(ctx, { sizes }, 6)
      fitted[label] = 0
      const t = await trials(ctx, 100, async (rng) => {
        const idx = rng.shuffle([...Array(8).keys()])
        const [train, test] = [idx.slice(0, 6), idx.slice(6)]
        const f = await fit(net, rng, train.map((i) => patterns(3)[i]!), col(train.map((i) => target[i]!)), BUDGET)
        if (f.accuracy < 1) return false
        fitted[label]!++
        const p = await predictOn(net, f.params, test.map((i) => patterns(3)[i]!))
        return accuracy(p, test.map((i) => target[i]!)) === 1
      })
      judgeRate(ctx, label, t, 0.5)
      return (ctx.evidence[label] as { interval: [number, number] }).interval
    }
    const [deep, shallow] = [await rate([3, 2, 3, 1], 'deep'), await rate([3, 8, 1], 'shallow')]
    for (const [label, n] of Object.entries(fitted)) control(ctx, n >= 50, `the ${label} network fitted its 6 training patterns in only ${n} of 100 trials: the trainer does not train`, { [`${label}FittedTraining`]: `${n} of 100` })
    return deep[0] > shallow[1] ? 'confirmed' : deep[1] < shallow[0] ? 'refuted' : 'inconclusive'
  },
)

claim(
  {
    id: 'capacity.width-lowers-training-loss', kind: 'statistical', expect: 'confirmed', source: '002, 004', ops: ['Gemm', 'Tanh', 'Sub', 'Mul', 'ReduceMean'], needs: ['grad'],
    quote: '如果你训练一个非常大的神经网络…保持变得越来越好; 增加节点数:增加维度',
    reading: 'On 16 random points of a 2-D → 1 regression (targets 0.5 + 0.4·sin(3a + 2b)), drawn afresh in each of 100 trials, with 300 SGD steps at lr 0.3, a 2-16-1 tanh network (linear output) ends with a lower or equal training MSE than a 2-2-1 network from the same seed in more than half of the trials (interval above 0.5). Null model: width makes no difference, a rate of 0.5. The data set is drawn per trial, so the rate is an average over data sets: with one data set per run, an easy draw (seed 12: the 2-2-1 net already fits it, 54 of 100) decided the whole verdict. Mean losses for widths 1–16 (5 trials each) are kept as a curve. Control: training actually lowers the loss (the wide net’s below half its initial value, the narrow net’s at all) in at least 90 of the 100 trials.',
  },
  async (ctx) => {
    const { regressionData } = await import('./support/capacity_exact.ts')
    const fitAt = async (h: number, rng: Rng) => {
      const { xs, ys } = regressionData(rng.fork('data'))
      return fit(await network(ctx, { sizes: [2, h, 1], act: 'Tanh', outAct: 'Identity' }, 16), rng.fork('w'), xs, ys, { lr: 0.3, steps: 300, fullBudget: true })
    }
    const lossAt = async (h: number, rng: Rng) => (await fitAt(h, rng)).loss
    let trained = 0
    const t = await trials(ctx, 100, async (rng) => {
      const [wide, narrow] = [await fitAt(16, rng), await fitAt(2, rng)]
      if (wide.loss < 0.5 * wide.initialLoss && narrow.loss < narrow.initialLoss) trained++
      return wide.loss <= narrow.loss
    })
    control(ctx, trained >= 90, `training lowered the loss (wide: below half its initial value; narrow: at all) in only ${trained} of 100 seeds`, { trainedInSeeds: `${trained} of 100` })
    const curve: Record<number, number> = {}
    for (const h of [1, 2, 4, 8, 16]) {
      let s = 0
      for (let i = 0; i < 5; i++) s += await lossAt(h, ctx.rng.fork(`curve-${i}`))
      curve[h] = Number((s / 5).toPrecision(4))
    }
    ctx.evidence['meanLossByWidth'] = curve
    return judgeRate(ctx, 'wideBeatsNarrow', t, 0.5)
  },
)
