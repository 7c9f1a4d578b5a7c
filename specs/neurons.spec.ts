// CLAIMS.md §1 — neurons and layers.
import fc from 'fast-check'
import { expectClose, expectThat, tolerance } from '../harness/assert.ts'
import { claim } from '../harness/claim.ts'
import { property } from '../harness/property.ts'
import { judgeRate, trials } from '../harness/stats.ts'
import { fit, hiddenOf, network, patterns, perceptron, XOR } from './support/capacity.ts'
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
    id: 'dense.fully-connected', kind: 'exact', expect: 'confirmed', source: '003', ops: ['Gemm', 'Tanh', 'Mul', 'ReduceSum'], needs: ['grad'],
    quote: '如果所有输入都密集连接到所有输出,则这些层称为密集层',
    reading: 'In a dense tanh layer with random weights every output depends on every input: each entry of ∂y/∂x (by the engine’s reverse mode, one output at a time) is nonzero; and the layer has in·out + out parameters.',
  },
  async (ctx) => {
    await property(ctx, fc.record({ d: fc.integer({ min: 1, max: 6 }), m: fc.integer({ min: 1, max: 6 }), seed: fc.nat() }), async (c) => {
      const r = await denseJacobian(ctx, c)
      expectThat(r.jacobian.flat().every((v) => v !== 0), `∂y/∂x has zero entries: ${JSON.stringify(r.jacobian)}`, ctx.replay)
      expectThat(r.parameterCount === c.d * c.m + c.m, `dense ${c.d}→${c.m} has ${r.parameterCount} parameters, not ${c.d * c.m + c.m}`, ctx.replay)
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
    reading: 'With a nonlinearity between two dense layers the map is not affine: for every random network, a search over 64 random input pairs finds f((x+y)/2) ≠ (f(x)+f(y))/2 by more than 1e−3; the same network without the nonlinearity satisfies the midpoint identity (control).',
  },
  async (ctx) => {
    const found: number[] = []
    await property(ctx, fc.record({ act: fc.constantFrom('Sigmoid', 'Tanh', 'Relu'), hidden: fc.integer({ min: 1, max: 6 }), seed: fc.nat() }), async (c) => {
      const r = await midpointGap(ctx, c)
      expectThat(r.linearGap < 1e-3, `the network without activation breaks the midpoint identity by ${r.linearGap}`, ctx.replay)
      expectThat(r.gap > 1e-3, `no input pair shows ${c.act} is non-affine (largest midpoint gap ${r.gap})`, ctx.replay)
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
    reading: 'After a 2-2-1 sigmoid network solves XOR (100 seeds, lr 5, ≤ 1500 steps), the four hidden representations are linearly separable (the perceptron rule converges on them) in every solved run: the rate among solved runs has its interval above 0.9. The inputs themselves are not separable (control).',
  },
  async (ctx) => {
    expectThat(perceptron(patterns(2), XOR) === undefined, 'the perceptron separated raw XOR', ctx.replay)
    const net = await network(ctx, { sizes: [2, 2, 1] }, 4)
    const solved = { successes: 0, n: 0 }
    const t = await trials(ctx, 100, async (rng) => {
      const f = await fit(net, rng, patterns(2), XOR.map((v) => [v]), { lr: 5, steps: 1500 })
      if (f.accuracy < 1) return false
      solved.n++
      const ok = perceptron(await hiddenOf(net, f, patterns(2), XOR.map((v) => [v])), XOR) !== undefined
      if (ok) solved.successes++
      return ok
    })
    ctx.evidence['solvedOf'] = [solved.n, t.n]
    return judgeRate(ctx, 'separableAmongSolved', solved, 0.9)
  },
)
