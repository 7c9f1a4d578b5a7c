// CLAIMS.md §5 — losses, as the graphs of harness/layers.ts. Each claim checks values first (a forward
// pass, so forward-only engines such as ONNX Runtime run that part and a wrong value refutes), then
// gradients through valueAndGrad (where a forward-only engine stops: the claim skips there).
import fc from 'fast-check'
import { expectClose, expectThat, tolerance } from '../harness/assert.ts'
import type { ClaimContext } from '../harness/claim.ts'
import { claim, skippedIfUnsupported, Unsupported } from '../harness/claim.ts'
import { property } from '../harness/property.ts'
import { mean } from './support/activation.ts'
import { bce64, fixedCase, lossCase, lossGrad, lossOf, sigmoid, softmaxCe64, softmaxRows64, type LossCase, type LossKind } from './support/loss.ts'

const batch = fc.record({ n: fc.integer({ min: 1, max: 8 }), d: fc.integer({ min: 1, max: 4 }), seed: fc.nat() })
const sig4 = (v: number) => Number(v.toPrecision(4))
const sig2 = (v: number) => Number(v.toPrecision(2))

claim(
  {
    id: 'loss.mean-over-examples', kind: 'metamorphic', expect: 'confirmed', source: '003', ops: ['ReduceMean'],
    quote: '总损失通常将计算为所有预测和实际观察值之间的差异的平均值',
    reading: 'For MSE, binary cross-entropy and softmax cross-entropy (20 fast-check batches each, n ≤ 8 examples × d ≤ 4): the batch loss equals the mean of the losses of each example run alone, and is unchanged when the examples are permuted and when the batch is duplicated (tolerance widened by √(2·n·d)). A loss whose ops the engine lacks is skipped, the others checked.',
  },
  async (ctx) => {
    const worst: Partial<Record<LossKind, number>> = {}
    const skipped: Partial<Record<LossKind, string>> = {}
    for (const kind of ['mse', 'bce', 'softmax-ce'] as const) {
      // a loss the engine cannot build (guard: Unsupported at compile, naming the op) is skipped alone
      await skippedIfUnsupported((why) => (skipped[kind] = why), () => property(ctx, batch, async (b) => {
        const c = lossCase(ctx.dtype, kind, b.n, kind === 'softmax-ce' ? b.d + 1 : b.d, b.seed)
        const base = await lossOf(ctx, c)
        const o = { oracle: 'the batch loss', tol: tolerance(ctx.dtype, { reduction: 2 * c.n * c.d }), replay: ctx.replay }
        const [single, permuted, duplicated] = [mean(await Promise.all(c.examples().map((e) => lossOf(ctx, e)))), await lossOf(ctx, c.permuted(b.seed)), await lossOf(ctx, c.duplicated())]
        expectClose(single, base, { ...o, what: `${kind}: mean of per-example losses` })
        expectClose(permuted, base, { ...o, what: `${kind} of the permuted batch` })
        expectClose(duplicated, base, { ...o, what: `${kind} of the duplicated batch` })
        worst[kind] = sig2(Math.max(worst[kind] ?? 0, ...[single, permuted, duplicated].map((v) => Math.abs(v - base))))
      }, 20))
    }
    if (Object.keys(worst).length === 0) throw new Unsupported(`the engine can build none of the losses: ${Object.values(skipped).join('; ')}`)
    ctx.evidence['largest |Δ| from the batch loss'] = worst
    if (Object.keys(skipped).length > 0) ctx.evidence['lossesNotChecked'] = skipped
    return 'confirmed'
  },
)

/** Logits ±100 with one right and one wrong label each: losses ≈ 0, 0, 100, 100. */
const bceAt100 = (ctx: ClaimContext) => fixedCase(ctx.dtype, 'bce', 4, 1, [100, -100, 100, -100], [1, 0, 0, 1])
const atSoftTarget = (ctx: ClaimContext, y: number, dz: number) => fixedCase(ctx.dtype, 'bce', 1, 1, [Math.log(y / (1 - y)) + dz], [y])
const bceCases = fc.record({ n: fc.integer({ min: 1, max: 8 }), seed: fc.nat(), scale: fc.constantFrom(3, 100) })
const softTargets = fc.double({ min: 0.05, max: 0.95, noNaN: true })

claim(
  {
    id: 'loss.bce-for-classification', kind: ['exact', 'gradient'], expect: 'confirmed', source: '003', ops: ['Softplus', 'Mul', 'Sub', 'ReduceMean'], needs: ['grad'],
    quote: '二元分类…交叉熵损失',
    reading: 'Mean binary cross-entropy from logits z (the stable graph of harness/layers.ts), n ≤ 8 logits in ±3 or ±100 with labels in {0, 1} (40 cases): its value is finite and equals the float64 −[y·log σ(z) + (1−y)·log(1−σ(z))]; logits [100, −100, 100, −100] with labels [1, 0, 0, 1] give 50. For soft targets y ∈ [0.05, 0.95] (30 cases) the loss is lower at σ(z) = y than at z ± 0.1. With autograd: ∂loss/∂z = (σ(z) − y)/n on the same cases (so (p − y) per example), and at σ(z) = y it vanishes (|g| ≤ 1e−6 in float32, 1e−12 in float64).',
  },
  async (ctx) => {
    await property(ctx, bceCases, async (b) => {
      const c = lossCase(ctx.dtype, 'bce', b.n, 1, b.seed, b.scale)
      const v = await lossOf(ctx, c)
      expectThat(Number.isFinite(v), `BCE is ${v} at logits ${c.logits}`, ctx.replay)
      expectClose(v, bce64(c), { what: 'BCE', oracle: 'float64 −[y·log σ(z) + (1−y)·log(1−σ(z))]', tol: tolerance(ctx.dtype, { reduction: b.n }), replay: ctx.replay })
    }, 40)
    const at100 = await lossOf(ctx, bceAt100(ctx))
    ctx.evidence['BCE at logits ±100'] = at100
    expectClose(at100, 50, { what: 'BCE at logits [100, −100, 100, −100], labels [1, 0, 0, 1]', oracle: '(0 + 0 + 100 + 100)/4', tol: tolerance(ctx.dtype, { reduction: 4 }), replay: ctx.replay })
    await property(ctx, softTargets, async (y) => {
      const [left, mid, right] = await Promise.all([-0.1, 0, 0.1].map((dz) => lossOf(ctx, atSoftTarget(ctx, y, dz))))
      expectThat(mid! < left! && mid! < right!, `BCE at σ(z) = y = ${y} (${mid}) is not below its neighbours at z ∓ 0.1 (${left}, ${right})`, ctx.replay)
    }, 30)

    await property(ctx, bceCases, async (b) => {
      const c = lossCase(ctx.dtype, 'bce', b.n, 1, b.seed, b.scale)
      const { grad } = await lossGrad(ctx, c)
      expectClose(grad, c.logits.map((z, i) => (sigmoid(z) - c.targets[i]!) / b.n), { what: 'BCE grad z', oracle: '(σ(z) − y)/n', tol: tolerance(ctx.dtype), replay: ctx.replay })
    }, 40)
    const fixed = bceAt100(ctx)
    const { grad } = await lossGrad(ctx, fixed)
    ctx.evidence['BCE grad at logits ±100'] = grad.map(sig4)
    expectClose(grad, fixed.logits.map((z, i) => (sigmoid(z) - fixed.targets[i]!) / 4), { what: 'BCE grad z at ±100', oracle: '(σ(z) − y)/n', tol: tolerance(ctx.dtype), replay: ctx.replay })
    await property(ctx, softTargets, async (y) => {
      const g = (await lossGrad(ctx, atSoftTarget(ctx, y, 0))).grad[0]!
      expectClose(g, 0, { what: `BCE grad at σ(z) = y = ${y}`, oracle: '0', tol: { rtol: 0, atol: ctx.dtype === 'float32' ? 1e-6 : 1e-12 }, replay: ctx.replay })
    }, 30)
    return 'confirmed'
  },
)

/** Constant predictions c for the targets of `c0`. */
const constant = (c0: LossCase, v: number) => fixedCase(c0.dtype, 'mse', c0.n, c0.d, c0.targets.map(() => v), c0.targets)

claim(
  {
    id: 'loss.mse-for-regression', kind: ['exact', 'gradient'], expect: 'confirmed', source: '003', ops: ['Sub', 'Mul', 'ReduceMean'], needs: ['grad'],
    quote: '均方误差损失将更合适…最小化实际值和预测值之间的平方差',
    reading: "MSE = mean((ŷ − y)²) over the N = n·d elements (n ≤ 8, d ≤ 4, targets in ±2; 30 fast-check cases). Values: over constant predictions ŷ ≡ c, L(c) = var(y) + (c − ȳ)², so the loss at c = ȳ equals var(y) and L(ȳ ± δ) − L(ȳ) = δ² for δ ∈ {0.1, 1}: the minimizer over constants is the mean of the targets. With autograd: ∂L/∂ŷ = 2(ŷ − y)/N at random predictions, and at ŷ ≡ ȳ the derivative along c, Σᵢ ∂L/∂ŷᵢ, vanishes.",
  },
  async (ctx) => {
    const tolOf = (c: LossCase) => tolerance(ctx.dtype, { reduction: c.n * c.d })
    await property(ctx, batch, async (b) => {
      const c = lossCase(ctx.dtype, 'mse', b.n, b.d, b.seed)
      const ybar = mean(c.targets)
      const variance = mean(c.targets.map((y) => (y - ybar) ** 2))
      const [at, ...sides] = await Promise.all([0, -0.1, 0.1, -1, 1].map((dc) => lossOf(ctx, constant(c, ybar + dc))))
      expectClose(at!, variance, { what: 'MSE at the constant ȳ', oracle: 'var(y)', tol: tolOf(c), replay: ctx.replay })
      sides.forEach((v, i) => expectClose(v - at!, [0.01, 0.01, 1, 1][i]!, { what: `MSE(ȳ ${i % 2 ? '+' : '−'} ${i < 2 ? 0.1 : 1}) − MSE(ȳ)`, oracle: 'δ²', tol: tolOf(c), replay: ctx.replay }))
      ctx.evidence['last case: MSE at ȳ − 1, ȳ − 0.1, ȳ, ȳ + 0.1, ȳ + 1'] = [sides[2]!, sides[0]!, at!, sides[1]!, sides[3]!].map(sig4)
    }, 30)

    await property(ctx, batch, async (b) => {
      const c = lossCase(ctx.dtype, 'mse', b.n, b.d, b.seed)
      const { grad } = await lossGrad(ctx, c)
      expectClose(grad, c.logits.map((p, i) => (2 * (p - c.targets[i]!)) / c.logits.length), { what: 'MSE grad ŷ', oracle: '2(ŷ − y)/n', tol: tolerance(ctx.dtype), replay: ctx.replay })
      const atMean = await lossGrad(ctx, constant(c, mean(c.targets)))
      expectClose(atMean.grad.reduce((a, v) => a + v, 0), 0, { what: 'Σ MSE grad at ŷ ≡ ȳ', oracle: '0', tol: { rtol: 0, atol: ctx.dtype === 'float32' ? 1e-5 : 1e-12 }, replay: ctx.replay })
    }, 30)
    return 'confirmed'
  },
)

/** Two rows [1e4, −1e4], the first labelled 0 (right, loss 0), the second 1 (wrong, loss 2e4). */
const ceAt1e4 = (ctx: ClaimContext) => fixedCase(ctx.dtype, 'softmax-ce', 2, 2, [1e4, -1e4, 1e4, -1e4], [1, 0, 0, 1])
const ceCases = fc.record({ n: fc.integer({ min: 1, max: 5 }), d: fc.integer({ min: 2, max: 6 }), seed: fc.nat(), scale: fc.constantFrom(3, 1e4) })

claim(
  {
    id: 'loss.softmax-cross-entropy', kind: ['exact', 'gradient'], expect: 'confirmed', source: '004', ops: ['LogSoftmax', 'Mul', 'ReduceSum', 'ReduceMean', 'Neg'], needs: ['grad'],
    quote: '损失函数有均方差、交叉熵等',
    reading: 'Mean softmax cross-entropy (the LogSoftmax graph of harness/layers.ts) over n ≤ 5 rows of d ≤ 6 logits in ±3 or ±1e4 with one-hot targets (40 fast-check cases): its value is finite and equals the float64 mean of logsumexp(z) − z_y, and rows [1e4, −1e4] labelled 0 and 1 give losses 0 and 2e4 (mean 1e4). With autograd: its gradient w.r.t. the logits is (softmax(z) − onehot)/n on the same cases, and [0, 0, ½, −½] at the fixed ±1e4 rows.',
  },
  async (ctx) => {
    await property(ctx, ceCases, async (b) => {
      const c = lossCase(ctx.dtype, 'softmax-ce', b.n, b.d, b.seed, b.scale)
      const v = await lossOf(ctx, c)
      expectThat(Number.isFinite(v), `softmax cross-entropy is ${v} at logits scaled by ${b.scale}`, ctx.replay)
      expectClose(v, softmaxCe64(c), { what: 'softmax cross-entropy', oracle: 'float64 mean of logsumexp(z) − z_y', tol: tolerance(ctx.dtype, { reduction: b.d }), replay: ctx.replay })
    }, 40)
    const at1e4 = await lossOf(ctx, ceAt1e4(ctx))
    ctx.evidence['softmax cross-entropy at logits ±1e4'] = at1e4
    expectClose(at1e4, 1e4, { what: 'softmax cross-entropy of rows [1e4, −1e4] labelled 0 and 1', oracle: '(0 + 2e4)/2', tol: tolerance(ctx.dtype, { reduction: 2 }), replay: ctx.replay })

    await property(ctx, ceCases, async (b) => {
      const c = lossCase(ctx.dtype, 'softmax-ce', b.n, b.d, b.seed, b.scale)
      const { grad } = await lossGrad(ctx, c)
      expectClose(grad, softmaxRows64(c).map((p, i) => (p - c.targets[i]!) / b.n), { what: 'softmax cross-entropy grad z', oracle: '(softmax(z) − onehot)/n', tol: tolerance(ctx.dtype, { reduction: b.d }), replay: ctx.replay })
    }, 40)
    const { grad } = await lossGrad(ctx, ceAt1e4(ctx))
    ctx.evidence['its gradient'] = grad.map(sig4)
    expectClose(grad, [0, 0, 0.5, -0.5], { what: 'softmax cross-entropy grad at ±1e4', oracle: '([1, 0] − onehot)/2 per row', tol: tolerance(ctx.dtype), replay: ctx.replay })
    return 'confirmed'
  },
)
