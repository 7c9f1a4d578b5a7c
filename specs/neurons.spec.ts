// CLAIMS.md §1 — neurons and layers.
import fc from 'fast-check'
import { expectClose, expectThat, tolerance } from '../harness/assert.ts'
import { claim, control } from '../harness/claim.ts'
import { property } from '../harness/property.ts'
import { judgeRate, trials } from '../harness/stats.ts'
import { fit, hiddenOf, linearR2, network, patterns, XOR } from './support/capacity.ts'
import { collapsedStack, denseCase, denseJacobian, midpointGap } from './support/neurons.ts'

const ACTS = ['Sigmoid', 'Tanh', 'Relu', 'Identity'] as const

claim(
  {
    id: 'neuron.weighted-sum', kind: 'exact', expect: 'confirmed', source: '004', ops: ['Gemm', 'Sigmoid', 'Tanh', 'Relu'],
    quote: '输入通过权重和偏差进行加权求和,再经过激活函数进行处理',
    reading: 'A dense layer computes act(x·W + b) for every row of a batch: the engine’s Gemm + activation equals the float64 closed form Σᵢ xᵢWᵢⱼ + bⱼ followed by the activation, for random batches, widths and activations.',
  },
  async (ctx) => {
    await property(ctx, fc.record({ n: fc.integer({ min: 1, max: 6 }), d: fc.integer({ min: 1, max: 8 }), m: fc.integer({ min: 1, max: 5 }), act: fc.constantFrom(...ACTS), seed: fc.nat() }), async (c) => {
      const r = await denseCase(ctx, c)
      expectClose(r.got, r.want, { what: `${c.act}(x·W + b)`, oracle: 'float64 weighted sum', tol: tolerance(ctx.dtype, { reduction: c.d }), replay: ctx.replay })
    })
    return 'confirmed'
  },
)

claim(
  {
    id: 'dense.fully-connected', kind: 'exact', expect: 'confirmed', source: '003', ops: ['Gemm', 'Tanh'], needs: ['grad'],
    quote: '如果所有输入都密集连接到所有输出,则这些层称为密集层',
    reading: 'In a dense tanh layer with random weights every output depends on every input: each entry of ∂y/∂x (by the engine’s reverse mode, one output at a time) is nonzero; and in·out + out parameters take part: every entry of W and b gets a nonzero gradient from some output (the graph has no other parameters).',
  },
  async (ctx) => {
    await property(ctx, fc.record({ d: fc.integer({ min: 1, max: 6 }), m: fc.integer({ min: 1, max: 6 }), seed: fc.nat() }), async (c) => {
      const r = await denseJacobian(ctx, c)
      expectThat(r.jacobian.flat().every((v) => v !== 0), `∂y/∂x has zero entries: ${JSON.stringify(r.jacobian)}`, ctx.replay)
      expectThat(r.parameterCount === c.d * c.m + c.m, `dense ${c.d}→${c.m}: ${r.parameterCount} parameters take part (nonzero gradient for some output), not in·out + out = ${c.d * c.m + c.m}`, ctx.replay)
    }, 40)
    return 'confirmed'
  },
)

claim(
  {
    id: 'layers.linear-collapse', kind: 'metamorphic', expect: 'confirmed', source: '004', ops: ['Gemm'],
    quote: '如果没有激活函数,那么该网络仅能够表达线性映射,此时即便有再多的隐藏层,其整个网络跟单层神经网络也是等价的',
    reading: 'A stack of 1–5 dense layers without activation (random widths 1–5) gives, through the engine, the same outputs as the single dense layer W = W1·W2·…, b = (…(b1·W2 + b2)·W3 …) computed in float64.',
  },
  async (ctx) => {
    await property(ctx, fc.record({ widths: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 6 }), n: fc.integer({ min: 1, max: 4 }), seed: fc.nat() }), async (c) => {
      const r = await collapsedStack(ctx, c)
      expectClose(r.stack, r.single, { what: `${c.widths.length - 1}-layer linear stack`, oracle: 'the collapsed single layer', tol: tolerance(ctx.dtype, { reduction: c.widths.reduce((a, b) => a * b, 1) }), replay: ctx.replay })
    })
    return 'confirmed'
  },
)

claim(
  {
    id: 'layers.alternate-linear-nonlinear', kind: 'exact', expect: 'confirmed', source: '001', ops: ['Gemm', 'Sigmoid', 'Tanh', 'Relu'],
    quote: '交替使用线性处理单元与非线性处理单元',
    reading: 'With a nonlinearity between two dense layers the map is not affine: for every random 2-h-1 network (weights at least 0.5 in magnitude), the input pair with the largest midpoint gap in float64 (64 random pairs in [−6, 6]² and, per hidden unit, a pair straddling its hyperplane) has, through the engine, f((x+y)/2) ≠ (f(x)+f(y))/2 by more than 1e−3 and more than half the float64 gap; the same network without the nonlinearity satisfies the midpoint identity (control).',
  },
  async (ctx) => {
    const found: number[] = []
    await property(ctx, fc.record({ act: fc.constantFrom('Sigmoid', 'Tanh', 'Relu'), hidden: fc.integer({ min: 1, max: 6 }), seed: fc.nat() }), async (c) => {
      const r = await midpointGap(ctx, c)
      expectThat(r.linearGap < 1e-3, `the network without activation breaks the midpoint identity by ${r.linearGap}`, ctx.replay)
      expectThat(r.gap > Math.max(1e-3, r.expected / 2), `${c.act} network: the midpoint gap at the pair where float64 gives ${r.expected.toPrecision(3)} is ${r.gap} through the engine: the map looks affine`, ctx.replay)
      found.push(r.gap)
    }, 40)
    ctx.evidence['smallestLargestGap'] = Math.min(...found)
    return 'confirmed'
  },
)

claim(
  {
    id: 'layers.space-warping', kind: 'statistical', expect: 'confirmed', source: '004, 000', ops: ['Gemm', 'Sigmoid', 'Sub', 'Mul', 'ReduceMean'], needs: ['grad'],
    quote: '将原始输入空间投向线性可分/稀疏的空间去分类; 這時再看 h 到 y 的關系,完全就是線性的',
    reading: 'After a 2-2-1 sigmoid network solves XOR (100 seeds, lr 5, ≤ 1500 steps), the relation from the hidden representations h to the labels y is linear: the least-squares affine fit of y from the four h has R² > 0.9 in more than half of the solved runs (interval above 0.5). (Separability alone would be no evidence: a solved network separates its h by construction.) Null models: from the raw inputs R² is exactly 0 (XOR is not linear in x), and the same networks untrained give R² > 0.9 in fewer than 20% of the seeds (controls); and at least 30 runs solve XOR.',
  },
  async (ctx) => {
    expectThat(Math.abs(linearR2(patterns(2), XOR)) < 1e-9, 'XOR is linear in the raw inputs', ctx.replay)
    const net = await network(ctx, { sizes: [2, 2, 1] }, 4)
    const linear = { successes: 0, n: 0 }
    let untrainedLinear = 0
    const r2s: number[] = []
    await trials(ctx, 100, async (rng) => {
      const f = await fit(net, rng.fork('fit'), patterns(2), XOR.map((v) => [v]), { lr: 5, steps: 1500 })
      const before = await fit(net, rng.fork('fit'), patterns(2), XOR.map((v) => [v]), { lr: 0, steps: 1, fullBudget: true })
      if (linearR2(await hiddenOf(net, before, patterns(2), XOR.map((v) => [v])), XOR) > 0.9) untrainedLinear++
      if (f.accuracy < 1) return false
      const r2 = linearR2(await hiddenOf(net, f, patterns(2), XOR.map((v) => [v])), XOR)
      r2s.push(r2)
      linear.n++
      if (r2 > 0.9) linear.successes++
      return r2 > 0.9
    })
    ctx.evidence['medianR2AmongSolved'] = r2s.length ? Number([...r2s].sort((a, b) => a - b)[r2s.length >> 1]!.toPrecision(3)) : null
    control(ctx, linear.n >= 30, `only ${linear.n} of 100 runs solved XOR`, { solved: `${linear.n} of 100` })
    control(ctx, untrainedLinear < 20, `untrained networks already give R² > 0.9 in ${untrainedLinear} of 100 seeds: the test cannot tell training from chance`, { untrainedR2Above09: `${untrainedLinear} of 100` })
    return judgeRate(ctx, 'linearAmongSolved', linear, 0.5)
  },
)
