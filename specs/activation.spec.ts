// CLAIMS.md §3 — activation functions. Values and gradients come from one-node graphs run on the
// engine under test; gradients are compared with mathjs's symbolic derivatives (oracles/symbolic.ts)
// and, through harness/gradcheck.ts, with float64 central differences (or reference-f64 for float32).
import fc from 'fast-check'
import { expectClose, expectThat, tolerance } from '../harness/assert.ts'
import { claim, Unsupported } from '../harness/claim.ts'
import { lacks } from '../harness/supports.ts'
import { checkGradient } from '../harness/gradcheck.ts'
import { property } from '../harness/property.ts'
import { Rng } from '../contract/rng.ts'
import { symbolic, SYMBOLIC_ACTIVATIONS, type SymbolicFn } from '../oracles/symbolic.ts'
import { deadUnitRun, fed, mean, reals, softmax64, softmaxGradCase, softmaxRows, unaryGrads, unaryValues, weightedCase } from './support/activation.ts'
import { convexExact, maxoutGradCase, maxoutWithZeroPieces, sinByTwoUnits, squareByTangents } from './support/maxout.ts'

const sym = (op: string): SymbolicFn => SYMBOLIC_ACTIVATIONS.find((s) => s.op === op)!
const leaky = (alpha: number) => symbolic('leaky relu', 'LeakyRelu', ['alpha * x', 'x'], { alpha })
const elu = (alpha: number) => symbolic('elu', 'Elu', ['alpha * (exp(x) - 1)', 'x'], { alpha })
const at = (xs: number[], ys: number[]) => Object.fromEntries(xs.map((x, i) => [x, Number(ys[i]!.toPrecision(4))]))

claim(
  {
    id: 'activation.sigmoid-range-positive', kind: 'exact', expect: 'confirmed', source: '004', ops: ['Sigmoid'],
    quote: 'sigmoid函数的输出均大于0,使得输出不是0均值,这称为偏移现象',
    reading: 'σ(x) lies in [0,1] for every finite x in [−1e4, 1e4] and strictly inside (0,1) wherever the dtype can represent it (|x| ≤ 15 in float32, 30 in float64); over any symmetric sample {x, −x} the mean of σ is 0.5, not 0. The evidence records where σ first rounds to 1.',
  },
  async (ctx) => {
    const inner = ctx.dtype === 'float32' ? 15 : 30
    await property(ctx, reals({ lo: -1e4, hi: 1e4 }), async (xs) => {
      const ys = await unaryValues(ctx, 'Sigmoid', xs)
      fed(ctx.dtype, xs).forEach((x, i) => {
        const [y, strict] = [ys[i]!, Math.abs(x) <= inner]
        expectThat(strict ? y > 0 && y < 1 : y >= 0 && y <= 1, `Sigmoid(${x}) = ${y} is outside ${strict ? '(0,1)' : '[0,1]'}`, ctx.replay)
      })
      const both = await unaryValues(ctx, 'Sigmoid', [...xs, ...xs.map((x) => -x)])
      expectClose(mean(both), 0.5, { what: 'mean Sigmoid over {x, −x}', oracle: 'σ(x)+σ(−x) = 1', tol: tolerance(ctx.dtype, { reduction: both.length }), replay: ctx.replay })
    })
    const ints = Array.from({ length: 60 }, (_, i) => i + 1)
    const ys = await unaryValues(ctx, 'Sigmoid', ints)
    ctx.evidence['σ(x) = 1 from x ='] = ints.find((_, i) => ys[i] === 1) ?? '> 60'
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.sigmoid-saturates', kind: ['exact', 'gradient'], expect: 'confirmed', source: '002', ops: ['Sigmoid'], needs: ['grad'],
    quote: 'sigmoid函数的梯度会接近零,所以学习的速度会变得非常缓慢',
    reading: "At fast-check points in [−40, 40] the engine's σ'(x) equals σ(x)(1−σ(x)) of its own σ and mathjs's symbolic derivative; σ'(0) = 1/4, σ'(x) ≤ 1/4 with strict inequality for |x| ≥ 0.01, σ'(x) ≤ e^{−|x|} (within the dtype's tolerance), and σ'(x) < 5e−5 for |x| > 10.",
  },
  async (ctx) => {
    const tol = tolerance(ctx.dtype)
    await property(ctx, reals({ lo: -40, hi: 40 }), async (raw) => {
      const xs = fed(ctx.dtype, [0, ...raw])
      const [ys, gs] = await Promise.all([unaryValues(ctx, 'Sigmoid', xs), unaryGrads(ctx, 'Sigmoid', xs)])
      expectClose(gs[0]!, 0.25, { what: "Sigmoid'(0)", oracle: 'the closed form 1/4', tol, replay: ctx.replay })
      expectClose(gs, ys.map((y) => y * (1 - y)), { what: "Sigmoid'", oracle: "σ(1−σ) of the engine's σ", tol, replay: ctx.replay })
      expectClose(gs, xs.map(sym('Sigmoid').df), { what: "Sigmoid'", oracle: 'mathjs derivative', tol, replay: ctx.replay })
      xs.forEach((x, i) => {
        const g = gs[i]!
        expectThat(g <= 0.25 * (1 + tol.rtol) && (Math.abs(x) < 0.01 || g < 0.25), `Sigmoid'(${x}) = ${g} is not below 1/4`, ctx.replay)
        // the true gap is a factor (1 + e^−|x|)², below float resolution for large |x|: hence the tolerance
        expectThat(g <= Math.exp(-Math.abs(x)) * (1 + tol.rtol) + tol.atol, `Sigmoid'(${x}) = ${g} is not below e^-|x| = ${Math.exp(-Math.abs(x))}`, ctx.replay)
        expectThat(Math.abs(x) <= 10 || g < 5e-5, `Sigmoid'(${x}) = ${g} is not saturated (≥ 5e-5)`, ctx.replay)
      })
    })
    const xs = [0, 2, 5, 10, 20, 40]
    ctx.evidence["σ'(x)"] = at(xs, await unaryGrads(ctx, 'Sigmoid', xs))
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.sigmoid-symmetry', kind: 'exact', expect: 'confirmed', source: '004', ops: ['Sigmoid', 'Tanh'],
    quote: 'sigmoid 函数族(sigmoid 与 tanh 的关系)',
    reading: 'σ(−x) = 1 − σ(x) and tanh(x) = 2σ(2x) − 1, for engine outputs at fast-check points in [−20, 20] (the dtype’s tolerance, atol doubled for the second).',
  },
  async (ctx) => {
    const tol = tolerance(ctx.dtype)
    await property(ctx, reals({ lo: -20, hi: 20 }), async (xs) => {
      const [pos, neg, two, th] = await Promise.all([
        unaryValues(ctx, 'Sigmoid', xs), unaryValues(ctx, 'Sigmoid', xs.map((x) => -x)),
        unaryValues(ctx, 'Sigmoid', xs.map((x) => 2 * x)), unaryValues(ctx, 'Tanh', xs),
      ])
      expectClose(neg, pos.map((p) => 1 - p), { what: 'Sigmoid(−x)', oracle: '1 − Sigmoid(x)', tol, replay: ctx.replay })
      expectClose(th, two.map((s) => 2 * s - 1), { what: 'Tanh(x)', oracle: '2·Sigmoid(2x) − 1', tol: { ...tol, atol: 2 * tol.atol }, replay: ctx.replay })
    })
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.tanh-zero-centered', kind: ['exact', 'gradient'], expect: 'confirmed', source: '004', ops: ['Tanh'], needs: ['grad'],
    quote: 'tanh 「输出均值是0」, 「tanh一样具有软饱和性,从而造成梯度消失」',
    reading: "At fast-check points in [−30, 30]: tanh(−x) = −tanh(x) and the mean over {x, −x} is 0 (values, so forward-only engines run this part); the engine's tanh' equals 1 − tanh² of its own tanh and mathjs's derivative, is ≤ 1, is non-increasing in |x|, and is below 1e−7 for |x| ≥ 10 (soft saturation).",
  },
  async (ctx) => {
    const tol = tolerance(ctx.dtype)
    await property(ctx, reals({ lo: -30, hi: 30 }), async (xs) => {
      const [pos, neg] = await Promise.all([unaryValues(ctx, 'Tanh', xs), unaryValues(ctx, 'Tanh', xs.map((x) => -x))])
      expectClose(neg, pos.map((p) => -p), { what: 'Tanh(−x)', oracle: '−Tanh(x)', tol, replay: ctx.replay })
      expectClose(mean([...pos, ...neg]), 0, { what: 'mean Tanh over {x, −x}', oracle: 'oddness', tol: tolerance(ctx.dtype, { reduction: 2 * xs.length }), replay: ctx.replay })
    })
    await property(ctx, reals({ lo: -30, hi: 30 }), async (raw) => {
      const xs = fed(ctx.dtype, raw)
      const [ys, gs] = await Promise.all([unaryValues(ctx, 'Tanh', xs), unaryGrads(ctx, 'Tanh', xs)])
      expectClose(gs, ys.map((t) => 1 - t * t), { what: "Tanh'", oracle: "1 − tanh² of the engine's tanh", tol, replay: ctx.replay })
      expectClose(gs, xs.map(sym('Tanh').df), { what: "Tanh'", oracle: 'mathjs derivative', tol, replay: ctx.replay })
      const byAbs = xs.map((x, i) => [Math.abs(x), gs[i]!] as const).sort((a, b) => a[0] - b[0])
      byAbs.forEach(([ax, g], i) => {
        expectThat(g <= 1 + tol.rtol, `Tanh'(±${ax}) = ${g} exceeds 1`, ctx.replay)
        expectThat(ax < 10 || g < 1e-7, `Tanh'(±${ax}) = ${g} has not saturated`, ctx.replay)
        if (i > 0) expectThat(g <= byAbs[i - 1]![1] + tol.atol, `Tanh'(±${ax}) = ${g} exceeds Tanh' at the smaller |x| = ${byAbs[i - 1]![0]}`, ctx.replay)
      })
    })
    const xs = [0, 1, 2, 5, 10]
    ctx.evidence["tanh'(x)"] = at(xs, await unaryGrads(ctx, 'Tanh', xs))
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.relu-gradient', kind: ['exact', 'gradient'], expect: 'confirmed', source: '002', ops: ['Relu'], needs: ['grad'],
    quote: 'ReLU它的梯度对于所有输入的负值都是零; ReLU 能够在x>0时保持梯度不衰减',
    reading: "ReLU'(x) is exactly 1 for every x > 0 and exactly 0 for every x < 0 (fast-check points in [−1e3, 1e3], any nonzero value the dtype represents, down to 1e−30); ReLU'(0) is a convention the claim does not depend on: it is measured and stated in the evidence.",
  },
  async (ctx) => {
    await property(ctx, reals({ lo: -1e3, hi: 1e3, avoid: [0], margin: 1e-30 }), async (raw) => {
      const xs = fed(ctx.dtype, raw)
      const gs = await unaryGrads(ctx, 'Relu', xs)
      xs.forEach((x, i) => expectThat(gs[i] === (x > 0 ? 1 : 0), `Relu'(${x}) = ${gs[i]}, expected exactly ${x > 0 ? 1 : 0}`, ctx.replay))
    })
    const g0 = (await unaryGrads(ctx, 'Relu', [0]))[0]!
    ctx.evidence['convention'] = `ReLU'(0) = ${g0}`
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.relu-dead-neurons', kind: 'exact', expect: 'confirmed', source: '004', ops: ['Gemm', 'Relu', 'Sub', 'Mul', 'ReduceMean'], needs: ['grad'],
    quote: '部分输入会落入硬饱和区,导致对应权重无法更新…神经元死亡',
    reading: 'In a d-h-1 ReLU network under MSE (random n ≤ 8, d ≤ 4, 2 ≤ h ≤ 4; 25 fast-check cases), a hidden unit whose pre-activation is below −0.1 on every training input gets exactly zero gradient for its incoming weights and bias, and after 30 full-batch SGD steps (lr 0.01, the harness’s update) those are bit-identical to their initial values, so it is still dead, while the live units’ weights did move.',
  },
  async (ctx) => {
    await property(ctx, fc.record({ n: fc.integer({ min: 1, max: 8 }), d: fc.integer({ min: 1, max: 4 }), h: fc.integer({ min: 2, max: 4 }), seed: fc.nat() }), async (c) => {
      const r = await deadUnitRun(ctx, { ...c, steps: 30 })
      expectThat(r.grad.every((g) => g === 0), `dead ReLU unit got gradient ${JSON.stringify(r.grad)} for its weights and bias`, ctx.replay)
      expectThat(r.after.every((v, i) => Object.is(v, r.before[i])), `dead ReLU unit's weights and bias changed in training: ${JSON.stringify(r.before)} → ${JSON.stringify(r.after)}`, ctx.replay)
      expectThat(r.liveMoved > 0 && r.losses.every(Number.isFinite), `training did not move the live units (largest change ${r.liveMoved}, losses ${r.losses})`, ctx.replay)
      ctx.evidence['last case'] = { ...c, liveMoved: Number(r.liveMoved.toPrecision(3)), loss: r.losses.map((l) => Number(l.toPrecision(4))) }
    }, 25)
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.relu-positive-homogeneous', kind: 'exact', expect: 'confirmed', source: '(consequence)', ops: ['Relu'],
    quote: 'relu(a·x) = a·relu(x), a ≥ 0 (used throughout)',
    reading: 'For a ∈ [0, 100] and x in [−100, 100] at fast-check points, the engine’s Relu(a·x) equals a·Relu(x) within the dtype’s tolerance.',
  },
  async (ctx) => {
    await property(ctx, fc.tuple(fc.double({ min: 0, max: 100, noNaN: true }), reals({ lo: -100, hi: 100 })), async ([a, xs]) => {
      const [scaled, plain] = await Promise.all([unaryValues(ctx, 'Relu', xs.map((x) => a * x)), unaryValues(ctx, 'Relu', xs)])
      expectClose(scaled, plain.map((p) => a * p), { what: 'Relu(a·x)', oracle: 'a·Relu(x)', tol: tolerance(ctx.dtype), replay: ctx.replay })
    })
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.elu-shape', kind: ['exact', 'gradient'], expect: 'confirmed', source: '004', ops: ['Elu', 'Relu'], needs: ['grad'],
    quote: 'ELU…左侧具有软饱和性,右侧无饱和性…输出均值接近于零',
    reading: "Values (every engine), for α ∈ {1, 0.5} at fast-check points in [−30, 30] off 0: ELU(x) = x for x > 0 and α(eˣ−1) below; ELU(−1e4) = −α (soft saturation); ELU(0) = 0 and |ELU(±h)| ≤ max(1, α)·h within the dtype's tolerance for h = 1e−2, 1e−4, 1e−6 (continuity); over 4096 standard-normal inputs the mean ELU (closed form 0.1605) is closer to 0 than the mean ReLU (0.3989). Gradients: ELU' equals mathjs's derivative (1 for x > 0: no saturation; αeˣ → 0 below); with α = 1 the one-sided derivatives at ±1e−4 agree within 2e−4 (with α = 0.5 they do not: recorded).",
  },
  async (ctx) => {
    const tol = tolerance(ctx.dtype)
    // values first: a forward-only engine runs this part
    const nearZero: Record<string, number[]> = {}
    for (const alpha of [1, 0.5]) {
      await property(ctx, reals({ lo: -30, hi: 30, avoid: [0] }), async (raw) => {
        const xs = fed(ctx.dtype, raw)
        expectClose(await unaryValues(ctx, 'Elu', xs, { alpha }), xs.map((x) => (x > 0 ? x : alpha * Math.expm1(x))), { what: `Elu(α=${alpha})`, oracle: 'the closed form', tol, replay: ctx.replay })
      }, 30)
      const hs = [1e-2, 1e-4, 1e-6]
      const [far, zero, ...near] = await unaryValues(ctx, 'Elu', [-1e4, 0, ...hs.flatMap((h) => [-h, h])], { alpha })
      expectClose(far!, -alpha, { what: `Elu(α=${alpha})(−1e4)`, oracle: '−α', tol, replay: ctx.replay })
      near.forEach((y, i) => {
        const h = hs[i >> 1]!
        expectThat(zero === 0 && Math.abs(y) <= Math.max(1, alpha) * h * (1 + tol.rtol) + tol.atol, `Elu(α=${alpha}) is not continuous at 0: Elu(0) = ${zero}, Elu(${i % 2 ? '' : '−'}${h}) = ${y}`, ctx.replay)
      })
      nearZero[`α=${alpha}`] = near.map((v) => Number(v.toPrecision(4)))
    }
    const xs = Array.from({ length: 4096 }, () => ctx.rng.normal())
    const [e, r] = [mean(await unaryValues(ctx, 'Elu', xs)), mean(await unaryValues(ctx, 'Relu', xs))]
    Object.assign(ctx.evidence, { 'ELU at ∓1e−2, ∓1e−4, ∓1e−6': nearZero, meanElu: Number(e.toPrecision(4)), meanRelu: Number(r.toPrecision(4)), closedForm: { elu: 0.1605, relu: 0.3989 } })
    expectThat(Math.abs(e) < Math.abs(r), `mean ELU ${e} is not closer to 0 than mean ReLU ${r}`, ctx.replay)

    const oneSided: Record<string, number[]> = {}
    for (const alpha of [1, 0.5]) {
      await property(ctx, reals({ lo: -30, hi: 30, avoid: [0] }), async (raw) => {
        const xs = fed(ctx.dtype, raw)
        expectClose(await unaryGrads(ctx, 'Elu', xs, { alpha }), xs.map(elu(alpha).df), { what: `Elu'(α=${alpha})`, oracle: 'mathjs derivative', tol, replay: ctx.replay })
      }, 30)
      oneSided[`α=${alpha}`] = await unaryGrads(ctx, 'Elu', [-1e-4, 1e-4], { alpha })
    }
    ctx.evidence["ELU'(∓1e−4)"] = oneSided
    const [left, right] = oneSided['α=1']!
    expectClose(left!, right!, { what: "Elu'(−1e−4), α = 1", oracle: "Elu'(+1e−4)", tol: { rtol: 2e-4, atol: 0 }, replay: ctx.replay })
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.maxout-generalizes-relu', kind: 'exact', expect: 'confirmed', source: '004', ops: ['Gemm', 'Max', 'Relu'],
    quote: '当w2,b2,…,wn,bn为0时,退化为ReLU',
    reading: 'A maxout unit max_k(x·w_k + b_k) (Gemm per piece, variadic Max) whose pieces 2..k are zero equals the engine’s Relu(x·w_1 + b_1) and its float64 closed form max(0, x·w_1 + b_1), for random inputs and weights, k ∈ 2..5, d ≤ 4 (40 fast-check cases).',
  },
  async (ctx) => {
    await property(ctx, fc.record({ n: fc.integer({ min: 1, max: 6 }), d: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 2, max: 5 }), seed: fc.nat() }), async (c) => {
      const r = await maxoutWithZeroPieces(ctx, c)
      const tol = tolerance(ctx.dtype, { reduction: c.d })
      expectClose(r.maxout, r.relu, { what: `maxout(k=${c.k}, zero pieces)`, oracle: 'Relu of piece 1', tol, replay: ctx.replay })
      expectClose(r.maxout, r.want, { what: `maxout(k=${c.k}, zero pieces)`, oracle: 'max(0, x·w₁ + b₁) in float64', tol, replay: ctx.replay })
    }, 40)
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.maxout-convex-approx', kind: 'exact', expect: 'confirmed', source: '004', ops: ['Gemm', 'Max'],
    quote: 'maxout网络能够近似任意连续函数',
    reading: 'By closed-form construction, no training: (1) a k-piece maxout unit with a convex piecewise-linear function’s pieces as weights equals it on a 61-point grid of [−3, 3] (k ≤ 8, 25 fast-check cases); (2) one maxout unit of k tangents of x² approximates it on [−1, 1] from below with max error exactly 1/(k−1)² (k = 2, 3, 5, 9, 17, 33); (3) the difference of two k-piece maxout units (the convex split of sin’s piecewise-linear interpolant) approximates sin on [0, 2π] within the interpolation bound (2π/k)²/8, strictly better as k doubles (k = 2 … 32).',
  },
  async (ctx) => {
    await property(ctx, fc.record({ k: fc.integer({ min: 1, max: 8 }), seed: fc.nat() }), async (c) => {
      const r = await convexExact(ctx, c.k, c.seed)
      expectClose(r.got, r.want, { what: `maxout(k=${c.k}) of a convex PWL`, oracle: 'the function itself', tol: tolerance(ctx.dtype, { reduction: 4 }), replay: ctx.replay })
    }, 25)
    const tol = tolerance(ctx.dtype, { reduction: 4 })
    const square: Record<number, number> = {}
    for (const k of [2, 3, 5, 9, 17, 33]) {
      const r = await squareByTangents(ctx, k)
      expectClose(r.error, 1 / (k - 1) ** 2, { what: `max(x² − maxout of ${k} tangents)`, oracle: '1/(k−1)²', tol, replay: ctx.replay })
      expectThat(r.above >= -tol.atol, `maxout of ${k} tangents exceeds x² by ${-r.above}`, ctx.replay)
      square[k] = Number(r.error.toPrecision(3))
    }
    const sin: Record<number, number> = {}
    for (const k of [2, 4, 8, 16, 32]) {
      const err = await sinByTwoUnits(ctx, k)
      const bound = (2 * Math.PI / k) ** 2 / 8
      expectThat(err <= bound + tol.atol, `|maxout − maxout − sin| with ${k} pieces is ${err}, above the interpolation bound ${bound}`, ctx.replay)
      const prev = sin[k / 2]
      expectThat(prev === undefined || err < prev, `error with ${k} pieces (${err}) is not below ${k / 2} pieces (${prev})`, ctx.replay)
      sin[k] = Number(err.toPrecision(3))
    }
    Object.assign(ctx.evidence, { 'x² by k tangents: max error': square, 'sin by two k-piece units: max error': sin })
    return 'confirmed'
  },
)

const SMOOTH: [SymbolicFn, Record<string, number>][] = [
  [sym('Sigmoid'), {}], [sym('Tanh'), {}], [sym('Relu'), {}], [leaky(0.01), { alpha: 0.01 }], [leaky(0.2), { alpha: 0.2 }],
  [elu(1), { alpha: 1 }], [elu(0.5), { alpha: 0.5 }], [sym('Softplus'), {}],
]

claim(
  {
    id: 'activation.differentiable', kind: 'gradient', expect: 'confirmed', source: '004',
    ops: [], needs: ['grad'],
    quote: '可微性: 当优化方法是基于梯度的时候,这个性质是必须的',
    reading: "Every activation's engine gradient matches its derivative wherever it is differentiable. Sigmoid, tanh, ReLU, leaky ReLU (α 0.01, 0.2), ELU (α 1, 0.5), softplus at fast-check points in [−8, 8] kept 1e−3 from 0: values against the mathjs function and gradients against its symbolic derivative (20 cases each) and, on one random vector in ±[1e−3, 4] each, the gradient check of the tolerance policy (float64 central differences; reference-f64 for float32 engines); softmax and maxout (3 pieces, random inputs so no ties) by that gradient check (15 cases). An activation whose op the engine lacks is listed, not checked.",
  },
  async (ctx) => {
    const tol = tolerance(ctx.dtype)
    const worst: Record<string, { mathjsMaxAbs: number; gradcheckErrorOverTolerance: number }> = {}
    const notChecked: Record<string, string> = {}
    for (const [s, attrs] of SMOOTH) {
      const label = `${s.op}${attrs['alpha'] === undefined ? '' : `(α=${attrs['alpha']})`}`
      const missing = lacks(ctx.engine, s.op)
      if (missing) {
        notChecked[label] = missing
        continue
      }
      let abs = 0
      await property(ctx, reals({ lo: -8, hi: 8, avoid: [0], margin: 1e-3 }), async (raw) => {
        const xs = fed(ctx.dtype, raw)
        const [ys, gs] = await Promise.all([unaryValues(ctx, s.op, xs, attrs), unaryGrads(ctx, s.op, xs, attrs)])
        // the function first: a gradient is only "its derivative" if it is the right function's
        expectClose(ys, xs.map(s.f), { what: label, oracle: 'mathjs function', tol, replay: ctx.replay })
        const want = xs.map(s.df)
        expectClose(gs, want, { what: `${label}'`, oracle: 'mathjs derivative', tol, replay: ctx.replay })
        abs = Math.max(abs, ...gs.map((g, i) => Math.abs(g - want[i]!)))
      }, 20)
      // kept within ±4 so that no derivative is tiny and the relative error in the evidence means something
      const xs = Array.from({ length: 12 }, () => (ctx.rng.next() < 0.5 ? -1 : 1) * ctx.rng.uniform(1e-3, 4))
      const { worstRatio } = await checkGradient(ctx, weightedCase(ctx, s.op, attrs, xs, ctx.rng.int(1e9)))
      worst[label] = { mathjsMaxAbs: Number(abs.toPrecision(2)), gradcheckErrorOverTolerance: worstRatio }
    }
    let [softmax, maxout] = [0, 0]
    const [noSoftmax, noMaxout] = [lacks(ctx.engine, 'Softmax'), lacks(ctx.engine, 'Gemm', 'Max')]
    Object.assign(notChecked, noSoftmax ? { Softmax: noSoftmax } : {}, noMaxout ? { Maxout: noMaxout } : {})
    if (Object.keys(notChecked).length === SMOOTH.length + 2) throw new Unsupported(`the engine has none of the activations: ${Object.values(notChecked)[0]}`)
    await property(ctx, fc.nat(), async (seed) => {
      if (!noSoftmax) softmax = Math.max(softmax, (await checkGradient(ctx, softmaxGradCase(ctx, seed))).worstRatio)
      if (!noMaxout) maxout = Math.max(maxout, (await checkGradient(ctx, maxoutGradCase(ctx, seed))).worstRatio)
    }, 15)
    ctx.evidence['worst error'] = { ...worst, ...(noSoftmax ? {} : { Softmax: { gradcheckErrorOverTolerance: softmax } }), ...(noMaxout ? {} : { Maxout: { gradcheckErrorOverTolerance: maxout } }) }
    if (Object.keys(notChecked).length > 0) ctx.evidence['notChecked'] = notChecked
    return 'confirmed'
  },
)

// ±1e4 logits with their exact softmax: a max-subtracting kernel gives these; e^1e4 overflows otherwise
const EXTREME = [[1e4, -1e4, 0, 0], [-1e4, -1e4, -1e4, -1e4], [1e4, 1e4, -1e4, 0], [-1e4, 0, 1e4, 1e4 - 1]]

claim(
  {
    id: 'activation.softmax-distribution', kind: 'exact', expect: 'confirmed', source: '004', ops: ['Softmax'],
    quote: 'softmax 分类输出 (004); 注意力权重 (001)',
    reading: 'Softmax rows are non-negative and sum to 1, strictly positive while the logits span ≤ 20, and softmax(x + c) = softmax(x) for shifts |c| ≤ 50 (logit scales 1 and 10); logits up to ±1e4 give finite rows summing to 1 (40 fast-check cases: 1–4 rows × 2–16 columns, scales 1, 10, 1e4), and four fixed rows of ±1e4 logits give their exact softmax (e.g. [1e4, −1e4, 0, 0] → [1, 0, 0, 0]).',
  },
  async (ctx) => {
    const tol = tolerance(ctx.dtype, { reduction: 16 })
    const rowsOk = (p: number[][], strict: boolean) => p.forEach((row, r) => {
      const bad = row.filter((v) => !Number.isFinite(v) || v < 0 || (strict && v === 0))
      expectThat(bad.length === 0, `softmax row ${r} has a negative or non-finite entry: ${bad.join(', ')} (row ${row.join(', ')})`, ctx.replay)
      expectClose(row.reduce((a, b) => a + b, 0), 1, { what: `Σ softmax row ${r}`, oracle: '1', tol, replay: ctx.replay })
    })
    const extreme = await softmaxRows(ctx, EXTREME)
    rowsOk(extreme, false)
    expectClose(extreme.flat(), EXTREME.flatMap(softmax64), { what: 'softmax of ±1e4 logits', oracle: 'float64 softmax', tol, replay: ctx.replay })
    ctx.evidence['softmax at ±1e4'] = extreme.map((row) => row.map((v) => Number(v.toPrecision(4))))
    const arb = fc.record({ rows: fc.integer({ min: 1, max: 4 }), cols: fc.integer({ min: 2, max: 16 }), scale: fc.constantFrom(1, 10, 1e4), shift: fc.double({ min: -50, max: 50, noNaN: true }), seed: fc.nat() })
    await property(ctx, arb, async (c) => {
      const rng = new Rng(c.seed)
      const x = Array.from({ length: c.rows }, () => Array.from({ length: c.cols }, () => c.scale * rng.uniform(-1, 1)))
      const p = await softmaxRows(ctx, x)
      rowsOk(p, c.scale <= 10)
      // at ±1e4 a float32 input cannot even represent x + c exactly, so shift invariance is checked at moderate scales
      if (c.scale > 10) return
      const shifted = await softmaxRows(ctx, x.map((row) => row.map((v) => v + c.shift)))
      expectClose(shifted.flat(), p.flat(), { what: `softmax(x + ${c.shift})`, oracle: 'softmax(x)', tol: { ...tol, atol: ctx.dtype === 'float32' ? 1e-5 : 1e-12 }, replay: ctx.replay })
    }, 40)
    return 'confirmed'
  },
)
