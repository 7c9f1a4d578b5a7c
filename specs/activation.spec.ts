// CLAIMS.md §3 — activation functions.
import fc from 'fast-check'
import { expectClose, expectThat, tolerance } from '../harness/assert.ts'
import { claim } from '../harness/claim.ts'
import { property } from '../harness/property.ts'
import { SYMBOLIC_ACTIVATIONS } from '../oracles/symbolic.ts'
import { reals, unaryGrads, unaryValues } from './support/elementwise.ts'
import { maxoutValues, softmaxRows } from './support/maxout.ts'

const sym = (op: string) => SYMBOLIC_ACTIVATIONS.find((s) => s.op === op)!
const vec = (xs: number[]) => ({ dtype: 'float64' as const, shape: [xs.length], data: Float64Array.from(xs) })

claim(
  {
    id: 'activation.sigmoid-range-positive', kind: 'exact', expect: 'confirmed', source: '004', ops: ['Sigmoid'],
    quote: 'sigmoid函数的输出均大于0,使得输出不是0均值,这称为偏移现象',
    reading: 'σ(x) lies in [0,1] for every finite x and strictly inside (0,1) wherever the dtype can represent it (|x| ≤ 15 in float32, 30 in float64); over any symmetric sample {x, −x} the mean of σ is 0.5, not 0.',
  },
  async (ctx) => {
    const inner = ctx.dtype === 'float32' ? 15 : 30
    await property(ctx, reals({ lo: -1e4, hi: 1e4 }), async (xs) => {
      const ys = await unaryValues(ctx, 'Sigmoid', xs)
      ys.forEach((y, i) => {
        const strict = Math.abs(xs[i]!) <= inner
        expectThat(strict ? y > 0 && y < 1 : y >= 0 && y <= 1, `Sigmoid(${xs[i]}) = ${y} is outside ${strict ? '(0,1)' : '[0,1]'}`, ctx.replay)
      })
      const sym = await unaryValues(ctx, 'Sigmoid', [...xs, ...xs.map((x) => -x)])
      expectClose(sym.reduce((a, b) => a + b, 0) / sym.length, 0.5, { what: 'mean Sigmoid over {x, −x}', oracle: 'σ(x)+σ(−x) = 1', tol: tolerance(ctx.dtype, { reduction: sym.length }), replay: ctx.replay })
    })
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.sigmoid-saturates', kind: ['exact', 'gradient'], expect: 'confirmed', source: '002', ops: ['Sigmoid'], needs: ['grad'],
    quote: 'sigmoid函数的梯度会接近零,所以学习的速度会变得非常缓慢',
    reading: "The engine's σ'(x) equals mathjs's symbolic derivative, is ≤ 1/4 with equality at 0, is below e^{−|x|}, and is below 5e−5 for |x| > 10.",
  },
  async (ctx) => {
    const tol = tolerance(ctx.dtype)
    await property(ctx, reals({ lo: -40, hi: 40 }), async (xs) => {
      const gs = await unaryGrads(ctx, 'Sigmoid', [0, ...xs])
      expectClose(gs[0]!, 0.25, { what: "Sigmoid'(0)", oracle: 'the closed form 1/4', tol, replay: ctx.replay })
      expectClose(vec(gs), vec([0, ...xs].map(sym('Sigmoid').df)), { what: "Sigmoid'", oracle: 'mathjs derivative', tol, replay: ctx.replay })
      xs.forEach((x, i) => {
        const g = gs[i + 1]!
        expectThat(g <= 0.25 * (1 + tol.rtol), `Sigmoid'(${x}) = ${g} exceeds 1/4`, ctx.replay)
        expectThat(x === 0 || g <= Math.exp(-Math.abs(x)) * (1 + tol.rtol) + tol.atol * 1e-3, `Sigmoid'(${x}) = ${g} is not below e^-|x| = ${Math.exp(-Math.abs(x))}`, ctx.replay)
        expectThat(Math.abs(x) <= 10 || g < 5e-5, `Sigmoid'(${x}) = ${g} is not saturated (≥ 5e-5)`, ctx.replay)
      })
    })
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.sigmoid-symmetry', kind: 'exact', expect: 'confirmed', source: '004', ops: ['Sigmoid', 'Tanh'],
    quote: 'sigmoid 函数族(sigmoid 与 tanh 的关系)',
    reading: 'σ(−x) = 1 − σ(x) and tanh(x) = 2σ(2x) − 1, for engine outputs at fast-check points in [−20, 20].',
  },
  async (ctx) => {
    const tol = { ...tolerance(ctx.dtype), atol: Math.max(tolerance(ctx.dtype).atol, ctx.dtype === 'float32' ? 1e-6 : 1e-15) }
    await property(ctx, reals({ lo: -20, hi: 20 }), async (xs) => {
      const [pos, neg, two, th] = await Promise.all([
        unaryValues(ctx, 'Sigmoid', xs), unaryValues(ctx, 'Sigmoid', xs.map((x) => -x)),
        unaryValues(ctx, 'Sigmoid', xs.map((x) => 2 * x)), unaryValues(ctx, 'Tanh', xs),
      ])
      expectClose(vec(neg), vec(pos.map((p) => 1 - p)), { what: 'Sigmoid(−x)', oracle: '1 − Sigmoid(x)', tol, replay: ctx.replay })
      expectClose(vec(th), vec(two.map((s) => 2 * s - 1)), { what: 'Tanh(x)', oracle: '2·Sigmoid(2x) − 1', tol: { ...tol, atol: 2 * tol.atol }, replay: ctx.replay })
    })
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.tanh-zero-centered', kind: ['exact', 'gradient'], expect: 'confirmed', source: '004', ops: ['Tanh'], needs: ['grad'],
    quote: 'tanh 「输出均值是0」, 「tanh一样具有软饱和性,从而造成梯度消失」',
    reading: "tanh is odd (so its mean over {x, −x} is 0); the engine's tanh' equals mathjs's derivative 1 − tanh², is ≤ 1, and is below 1e−7 for |x| ≥ 10 (soft saturation).",
  },
  async (ctx) => {
    const tol = tolerance(ctx.dtype)
    await property(ctx, reals({ lo: -30, hi: 30 }), async (xs) => {
      const [pos, neg, gs] = await Promise.all([unaryValues(ctx, 'Tanh', xs), unaryValues(ctx, 'Tanh', xs.map((x) => -x)), unaryGrads(ctx, 'Tanh', xs)])
      expectClose(vec(neg), vec(pos.map((p) => -p)), { what: 'Tanh(−x)', oracle: '−Tanh(x)', tol, replay: ctx.replay })
      expectClose(vec(gs), vec(xs.map(sym('Tanh').df)), { what: "Tanh'", oracle: 'mathjs derivative', tol, replay: ctx.replay })
      xs.forEach((x, i) => {
        expectThat(gs[i]! <= 1 + tol.rtol, `Tanh'(${x}) = ${gs[i]} exceeds 1`, ctx.replay)
        expectThat(Math.abs(x) < 10 || gs[i]! < 1e-7, `Tanh'(${x}) = ${gs[i]} has not saturated`, ctx.replay)
      })
    })
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.relu-gradient', kind: ['exact', 'gradient'], expect: 'confirmed', source: '002', ops: ['Relu'], needs: ['grad'],
    quote: 'ReLU它的梯度对于所有输入的负值都是零; ReLU 能够在x>0时保持梯度不衰减',
    reading: "ReLU'(x) = 1 exactly for x > 0 and 0 exactly for x < 0 (fast-check, kept 1e−3 from 0); ReLU'(0) is a convention, measured and stated in the evidence.",
  },
  async (ctx) => {
    await property(ctx, reals({ lo: -1e3, hi: 1e3, avoid: [0] }), async (xs) => {
      const gs = await unaryGrads(ctx, 'Relu', xs)
      xs.forEach((x, i) => expectThat(gs[i] === (x > 0 ? 1 : 0), `Relu'(${x}) = ${gs[i]}, expected exactly ${x > 0 ? 1 : 0}`, ctx.replay))
    })
    ctx.evidence['reluGradAtZero'] = (await unaryGrads(ctx, 'Relu', [0]))[0]
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.relu-dead-neurons', kind: 'exact', expect: 'confirmed', source: '004', ops: ['Gemm', 'Relu', 'ReduceSum', 'Mul'], needs: ['grad'],
    quote: '部分输入会落入硬饱和区,导致对应权重无法更新…神经元死亡',
    reading: 'A ReLU unit relu(X·w + b) whose pre-activation is negative on every training input gets exactly zero gradient for w and b under any downstream loss, so a gradient step leaves it dead.',
  },
  async (ctx) => {
    const { deadUnitGrads } = await import('./support/relu_dead.ts')
    await property(ctx, fc.record({ n: fc.integer({ min: 1, max: 8 }), d: fc.integer({ min: 1, max: 5 }), seed: fc.integer() }), async (c) => {
      const r = await deadUnitGrads(ctx, c.n, c.d, c.seed)
      expectThat(r.gw.every((g) => g === 0) && r.gb === 0, `dead ReLU unit got gradient w ${JSON.stringify(r.gw)}, b ${r.gb}`, ctx.replay)
    }, 30)
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.relu-positive-homogeneous', kind: 'exact', expect: 'confirmed', source: '(consequence)', ops: ['Relu'],
    quote: 'relu(a·x) = a·relu(x), a ≥ 0 (used throughout)',
    reading: 'For a ≥ 0, the engine’s Relu(a·x) equals a·Relu(x) at fast-check points.',
  },
  async (ctx) => {
    await property(ctx, fc.tuple(fc.double({ min: 0, max: 100, noNaN: true }), reals({ lo: -100, hi: 100 })), async ([a, xs]) => {
      const [scaled, plain] = await Promise.all([unaryValues(ctx, 'Relu', xs.map((x) => a * x)), unaryValues(ctx, 'Relu', xs)])
      expectClose(vec(scaled), vec(plain.map((p) => a * p)), { what: 'Relu(a·x)', oracle: 'a·Relu(x)', tol: tolerance(ctx.dtype), replay: ctx.replay })
    })
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.elu-shape', kind: ['exact', 'gradient'], expect: 'confirmed', source: '004', ops: ['Elu', 'Relu'], needs: ['grad'],
    quote: 'ELU…左侧具有软饱和性,右侧无饱和性…输出均值接近于零',
    reading: "ELU(x) = x for x > 0 and α(eˣ−1) below (→ −α); its gradient matches mathjs's; with α = 1 the one-sided derivatives at 0 agree (ELU'(±1e−4) ≈ 1); over 4096 standard-normal inputs the mean ELU is closer to 0 than the mean ReLU.",
  },
  async (ctx) => {
    const tol = tolerance(ctx.dtype)
    for (const alpha of [1, 0.5]) {
      const s = SYMBOLIC_ACTIVATIONS.find((x) => x.op === 'Elu')!
      await property(ctx, reals({ lo: -30, hi: 30, avoid: [0] }), async (xs) => {
        const [ys, gs] = await Promise.all([unaryValues(ctx, 'Elu', xs, { alpha }), unaryGrads(ctx, 'Elu', xs, { alpha })])
        expectClose(vec(ys), vec(xs.map((x) => (x > 0 ? x : alpha * Math.expm1(x)))), { what: `Elu(α=${alpha})`, oracle: 'closed form', tol, replay: ctx.replay })
        expectClose(vec(gs), vec(xs.map((x) => (x > 0 ? 1 : alpha * s.df(x)))), { what: `Elu'(α=${alpha})`, oracle: 'mathjs derivative', tol, replay: ctx.replay })
      }, 30)
    }
    const [left, right] = await unaryGrads(ctx, 'Elu', [-1e-4, 1e-4], { alpha: 1 })
    expectClose(left!, right!, { what: "Elu'(−1e−4)", oracle: "Elu'(+1e−4)", tol: { rtol: 2e-4, atol: 0 }, replay: ctx.replay })
    const xs = Array.from({ length: 4096 }, () => ctx.rng.normal())
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length
    const [elu, relu] = [mean(await unaryValues(ctx, 'Elu', xs)), mean(await unaryValues(ctx, 'Relu', xs))]
    Object.assign(ctx.evidence, { meanElu: elu, meanRelu: relu })
    expectThat(Math.abs(elu) < Math.abs(relu), `mean ELU ${elu} is not closer to 0 than mean ReLU ${relu}`, ctx.replay)
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.maxout-generalizes-relu', kind: 'exact', expect: 'confirmed', source: '004', ops: ['Gemm', 'Max', 'Relu'],
    quote: '当w2,b2,…,wn,bn为0时,退化为ReLU',
    reading: 'A maxout unit max_k(x·w_k + b_k) whose pieces 2..k are zero equals relu(x·w_1 + b_1), for random inputs, weights and k ∈ 2..5.',
  },
  async (ctx) => {
    await property(ctx, fc.record({ n: fc.integer({ min: 1, max: 6 }), d: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 2, max: 5 }), seed: fc.integer() }), async (c) => {
      const r = await maxoutValues(ctx, c)
      expectClose(vec(r.maxout), vec(r.relu), { what: `maxout(k=${c.k}, zero pieces)`, oracle: 'Relu of piece 1', tol: tolerance(ctx.dtype), replay: ctx.replay })
    }, 40)
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.maxout-convex-approx', kind: ['exact', 'statistical'], expect: 'confirmed', source: '004', ops: ['Gemm', 'Max', 'Sub'],
    quote: 'maxout网络能够近似任意连续函数',
    reading: 'A k-piece maxout unit represents any convex piecewise-linear function with ≤ k pieces exactly (its pieces as weights); and the difference of two maxout units built from the convex/concave split of the piecewise-linear interpolant of sin on [0, 2π] approximates sin with a max error that decreases as k doubles (k = 2, 4, 8, 16, 32).',
  },
  async (ctx) => {
    const { convexExact, sinApproxErrors } = await import('./support/maxout.ts')
    await property(ctx, fc.record({ k: fc.integer({ min: 1, max: 8 }), seed: fc.integer() }), async (c) => {
      const r = await convexExact(ctx, c.k, c.seed)
      expectClose(vec(r.got), vec(r.want), { what: `maxout(k=${c.k}) of a convex PWL`, oracle: 'the function itself', tol: tolerance(ctx.dtype, { reduction: 4 }), replay: ctx.replay })
    }, 25)
    const errors = await sinApproxErrors(ctx, [2, 4, 8, 16, 32])
    ctx.evidence['maxErrorByPieces'] = errors
    const ks = Object.keys(errors).map(Number)
    ks.slice(1).forEach((k, i) => expectThat(errors[k]! < errors[ks[i]!]!, `error with ${k} pieces (${errors[k]}) is not below ${ks[i]} pieces (${errors[ks[i]!]})`, ctx.replay))
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.differentiable', kind: 'gradient', expect: 'confirmed', source: '004',
    ops: ['Sigmoid', 'Tanh', 'Relu', 'LeakyRelu', 'Elu', 'Softplus', 'Softmax', 'Max', 'Gemm', 'Mul', 'ReduceSum'], needs: ['grad'],
    quote: '可微性: 当优化方法是基于梯度的时候,这个性质是必须的',
    reading: "Every activation's engine gradient matches its derivative wherever it is differentiable: sigmoid, tanh, ReLU (off 0), leaky ReLU, ELU, softplus against mathjs; softmax and maxout (off ties) by the gradient check of the tolerance policy.",
  },
  async (ctx) => {
    const tol = tolerance(ctx.dtype)
    for (const op of ['Sigmoid', 'Tanh', 'Relu', 'LeakyRelu', 'Elu', 'Softplus']) {
      await property(ctx, reals({ lo: -8, hi: 8, avoid: [0], margin: 1e-3 }), async (xs) => {
        const gs = await unaryGrads(ctx, op, xs, sym(op).attrs)
        expectClose(vec(gs), vec(xs.map(sym(op).df)), { what: `${op}'`, oracle: 'mathjs derivative', tol, replay: ctx.replay })
      }, 20)
    }
    const { softmaxGradCase, maxoutGradCase } = await import('./support/maxout.ts')
    const { checkGradient } = await import('../harness/gradcheck.ts')
    await property(ctx, fc.integer(), async (seed) => {
      await checkGradient(ctx, softmaxGradCase(ctx, seed))
      await checkGradient(ctx, maxoutGradCase(ctx, seed))
    }, 15)
    return 'confirmed'
  },
)

claim(
  {
    id: 'activation.softmax-distribution', kind: 'exact', expect: 'confirmed', source: '004', ops: ['Softmax'],
    quote: 'softmax 分类输出 (004); 注意力权重 (001)',
    reading: 'softmax rows are positive and sum to 1, softmax(x + c) = softmax(x) for any shift c, and logits up to ±1e4 give finite outputs (no overflow).',
  },
  async (ctx) => {
    const tol = tolerance(ctx.dtype, { reduction: 16 })
    await property(ctx, fc.record({ rows: fc.integer({ min: 1, max: 4 }), cols: fc.integer({ min: 2, max: 16 }), scale: fc.constantFrom(1, 10, 1e4), shift: fc.double({ min: -50, max: 50, noNaN: true }), seed: fc.integer() }), async (c) => {
      const { p, shifted } = await softmaxRows(ctx, c)
      p.forEach((row, r) => {
        expectThat(row.every((v) => Number.isFinite(v) && v >= 0), `softmax row ${r} has a negative or non-finite entry: ${row}`, ctx.replay)
        expectClose(row.reduce((a, b) => a + b, 0), 1, { what: `Σ softmax row ${r}`, oracle: '1', tol, replay: ctx.replay })
      })
      // at ±1e4 a float32 input cannot even represent x + c exactly, so shift invariance is checked at moderate scales
      if (c.scale <= 10) expectClose(vec(shifted.flat()), vec(p.flat()), { what: `softmax(x + ${c.shift})`, oracle: 'softmax(x)', tol: { ...tol, atol: ctx.dtype === 'float32' ? 1e-5 : 1e-12 }, replay: ctx.replay })
    }, 40)
    return 'confirmed'
  },
)
