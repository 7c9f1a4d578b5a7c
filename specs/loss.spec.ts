// CLAIMS.md §5 — losses.
import fc from 'fast-check'
import { expectClose, expectThat, tolerance } from '../harness/assert.ts'
import { claim } from '../harness/claim.ts'
import { property } from '../harness/property.ts'
import { lossCase, lossOf, lossGrad } from './support/loss.ts'

const batch = fc.record({ n: fc.integer({ min: 1, max: 8 }), d: fc.integer({ min: 1, max: 4 }), seed: fc.nat() })
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))

claim(
  {
    id: 'loss.mean-over-examples', kind: 'metamorphic', expect: 'confirmed', source: '003', ops: ['Sub', 'Mul', 'ReduceMean', 'Relu', 'Abs', 'Neg', 'Softplus', 'Add', 'LogSoftmax', 'ReduceSum'],
    quote: '总损失通常将计算为所有预测和实际观察值之间的差异的平均值',
    reading: 'For MSE, binary cross-entropy and softmax cross-entropy, the batch loss is invariant to permuting the examples and unchanged when the batch is duplicated (it is a mean of per-example losses).',
  },
  async (ctx) => {
    for (const kind of ['mse', 'bce', 'softmax-ce'] as const) {
      await property(ctx, batch, async (b) => {
        const c = lossCase(ctx.dtype, kind, b.n, b.d, b.seed)
        const base = await lossOf(ctx, c)
        const tol = tolerance(ctx.dtype, { reduction: 2 * b.n * b.d })
        expectClose(await lossOf(ctx, c.permuted(b.seed)), base, { what: `${kind} of permuted batch`, oracle: 'the original batch', tol, replay: ctx.replay })
        expectClose(await lossOf(ctx, c.duplicated()), base, { what: `${kind} of duplicated batch`, oracle: 'the original batch', tol, replay: ctx.replay })
      }, 30)
    }
    return 'confirmed'
  },
)

claim(
  {
    id: 'loss.bce-for-classification', kind: ['exact', 'gradient'], expect: 'confirmed', source: '003', ops: ['Relu', 'Abs', 'Neg', 'Softplus', 'Mul', 'Sub', 'Add', 'ReduceMean'], needs: ['grad'],
    quote: '二元分类…交叉熵损失',
    reading: 'Mean binary cross-entropy computed from logits z has gradient (σ(z) − y)/n w.r.t. z; for soft targets y ∈ (0,1) its gradient vanishes at σ(z) = y, where it is minimal along z; and it stays finite with the same gradient formula for logits of ±100.',
  },
  async (ctx) => {
    await property(ctx, fc.record({ n: fc.integer({ min: 1, max: 8 }), seed: fc.nat(), scale: fc.constantFrom(3, 100) }), async (b) => {
      const c = lossCase(ctx.dtype, 'bce', b.n, 1, b.seed, b.scale)
      const { value, grad } = await lossGrad(ctx, c)
      expectThat(Number.isFinite(value), `BCE loss is ${value} at logits ${c.logits}`, ctx.replay)
      expectClose(grad, c.logits.map((z, i) => (sigmoid(z) - c.targets[i]!) / b.n), { what: 'BCE grad z', oracle: '(σ(z) − y)/n', tol: tolerance(ctx.dtype), replay: ctx.replay })
    }, 40)
    await property(ctx, fc.double({ min: 0.05, max: 0.95, noNaN: true }), async (y) => {
      const z = Math.log(y / (1 - y))
      const [at, left, right] = await Promise.all([z, z - 0.1, z + 0.1].map((zz) => lossGrad(ctx, lossCase(ctx.dtype, 'bce', 1, 1, 0, 0, { logits: [zz], targets: [y] }))))
      expectClose(at!.grad[0]!, 0, { what: `BCE grad at σ(z) = y = ${y.toFixed(3)}`, oracle: '0', tol: { rtol: 0, atol: ctx.dtype === 'float32' ? 1e-6 : 1e-12 }, replay: ctx.replay })
      expectThat(at!.value < left!.value && at!.value < right!.value, `BCE at σ(z) = y is not below its neighbours: ${left!.value}, ${at!.value}, ${right!.value}`, ctx.replay)
    }, 30)
    return 'confirmed'
  },
)

claim(
  {
    id: 'loss.mse-for-regression', kind: ['exact', 'gradient'], expect: 'confirmed', source: '003', ops: ['Sub', 'Mul', 'ReduceMean'], needs: ['grad'],
    quote: '均方误差损失将更合适…最小化实际值和预测值之间的平方差',
    reading: "MSE = mean((ŷ − y)²) has gradient 2(ŷ − y)/n w.r.t. ŷ; over constant predictions ŷ = c its gradient Σ ∂/∂ŷᵢ vanishes at c = mean(y), and the loss there is below the loss at c ± 0.1.",
  },
  async (ctx) => {
    await property(ctx, batch, async (b) => {
      const c = lossCase(ctx.dtype, 'mse', b.n, b.d, b.seed)
      const { grad } = await lossGrad(ctx, c)
      expectClose(grad, c.logits.map((p, i) => (2 * (p - c.targets[i]!)) / c.logits.length), { what: 'MSE grad ŷ', oracle: '2(ŷ − y)/n', tol: tolerance(ctx.dtype), replay: ctx.replay })
      const mean = c.targets.reduce((a, v) => a + v, 0) / c.targets.length
      const at = (k: number) => lossGrad(ctx, lossCase(ctx.dtype, 'mse', b.n, b.d, b.seed, 0, { logits: c.targets.map(() => k), targets: c.targets }))
      const [m, lo, hi] = await Promise.all([at(mean), at(mean - 0.1), at(mean + 0.1)])
      expectClose(m.grad.reduce((a, v) => a + v, 0), 0, { what: 'Σ MSE grad at the mean', oracle: '0', tol: { rtol: 0, atol: ctx.dtype === 'float32' ? 1e-5 : 1e-12 }, replay: ctx.replay })
      expectThat(m.value < lo.value && m.value < hi.value, `MSE at the mean ${m.value} is not below c ± 0.1: ${lo.value}, ${hi.value}`, ctx.replay)
    }, 30)
    return 'confirmed'
  },
)

claim(
  {
    id: 'loss.softmax-cross-entropy', kind: ['exact', 'gradient'], expect: 'confirmed', source: '004', ops: ['LogSoftmax', 'Mul', 'ReduceSum', 'ReduceMean', 'Neg'], needs: ['grad'],
    quote: '损失函数有均方差、交叉熵等',
    reading: 'Mean softmax cross-entropy has gradient (softmax(z) − onehot)/n w.r.t. the logits, and loss and gradient stay finite and correct for logits scaled to ±1e4.',
  },
  async (ctx) => {
    await property(ctx, fc.record({ n: fc.integer({ min: 1, max: 5 }), d: fc.integer({ min: 2, max: 6 }), seed: fc.nat(), scale: fc.constantFrom(3, 1e4) }), async (b) => {
      const c = lossCase(ctx.dtype, 'softmax-ce', b.n, b.d, b.seed, b.scale)
      const { value, grad } = await lossGrad(ctx, c)
      expectThat(Number.isFinite(value), `softmax cross-entropy is ${value} at logits scaled by ${b.scale}`, ctx.replay)
      const want = c.logits.map((_, i) => {
        const row = Math.floor(i / b.d)
        const zs = c.logits.slice(row * b.d, (row + 1) * b.d)
        const m = Math.max(...zs)
        const p = Math.exp(c.logits[i]! - m) / zs.reduce((s, z) => s + Math.exp(z - m), 0)
        return (p - c.targets[i]!) / b.n
      })
      expectClose(grad, want, { what: 'softmax cross-entropy grad z', oracle: '(softmax(z) − onehot)/n', tol: tolerance(ctx.dtype, { reduction: b.d }), replay: ctx.replay })
    }, 40)
    return 'confirmed'
  },
)
