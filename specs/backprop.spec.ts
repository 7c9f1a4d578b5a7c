// CLAIMS.md §4 — backpropagation and gradients.
import fc from 'fast-check'
import { expectClose, expectThat, tolerance } from '../harness/assert.ts'
import { opCase, OPS_WITH_CASES, weightedOn } from '../harness/arbitraries/op_case.ts'
import { claim, control, requireGrad, Unsupported } from '../harness/claim.ts'
import { checkGradient } from '../harness/gradcheck.ts'
import { Parts } from '../harness/parts.ts'
import { property } from '../harness/property.ts'
import { hasOps, lacks } from '../harness/supports.ts'
import { values } from '../harness/tensors.ts'
import { GOLDEN, goldenNetwork, LAYOUT } from '../fixtures/backprop_golden.ts'
import { directional, hvpCheck, smoothNet } from './support/backprop.ts'

claim(
  {
    id: 'backprop.chain-rule', kind: 'gradient', expect: 'confirmed', source: '001, 003', ops: [], needs: ['grad'], timeoutMs: 120_000,
    quote: '使用链式法则(即反向传播)来更新网络的参数; 反向传播,它本质上是来自微积分的链式法则',
    reading: "For every op of the IR that the engine supports (the others are listed in the evidence), on random shapes, attributes and values (fast-check, 8 cases per op), the engine's reverse-mode gradient of Σ r ⊙ y (fixed random r; written with Mul and ReduceSum, or with Gemm or Conv on an engine that lacks them) equals float64 central differences (float64 engines; rtol 1e-5, atol 1e-7) or the float64 reference's analytic gradient (float32 engines; rtol 1e-4, atol 1e-5, ×√K).",
  },
  async (ctx) => {
    const worst: Record<string, number> = {}
    const unsupported: Record<string, string> = {}
    const scaffolds: Record<string, string> = {}
    const parts = new Parts(ctx, { engineErrorsFail: true }) // an engine throwing on a valid graph fails that op
    for (const op of OPS_WITH_CASES) {
      const ok = lacks(ctx.engine, op)
      if (ok !== undefined) {
        unsupported[op] = ok // stated by the engine; every other op is still checked
        continue
      }
      let [checked, declined] = [0, '']
      await parts.check(op, () =>
        property(ctx, opCase({ dtype: ctx.dtype, ops: [op] }), async (raw) => {
          const ok = ctx.engine.supports(raw.graph.nodes[0]!)
          if (ok !== true) return void (declined = ok) // attributes this engine declines (stated by supports): counted below
          // the sum Σ r ⊙ y is scaffolding: an engine without Mul or ReduceSum gets it written with its own ops
          const c = await weightedOn(raw, ctx.dtype, ctx.engine)
          if ('reason' in c) return void (declined = c.reason)
          if (c.recipe !== 'Mul+ReduceSum') scaffolds[op] = `Σ r ⊙ y written with ${c.recipe}`
          const r = await checkGradient(ctx, { graph: c.graph, feeds: c.feeds, of: c.loss, wrt: c.wrt, what: op })
          worst[op] = Math.max(worst[op] ?? 0, r.worstRatio)
          checked++
        }, Math.min(ctx.numRuns, 8)),
      )
      // an op whose every case the engine declined was not checked: it is listed as declined, never silently passed
      if (checked === 0 && !parts.failed.includes(op)) {
        ctx.parts.checked.delete(op)
        unsupported[op] = `every case declined (${declined})`
      }
    }
    ctx.evidence['worstErrorOverToleranceByOp'] = worst
    ctx.evidence['coverage'] = `${OPS_WITH_CASES.length - Object.keys(unsupported).length} of ${OPS_WITH_CASES.length} ops checked`
    if (Object.keys(unsupported).length > 0) ctx.evidence['opsTheEngineDeclines'] = unsupported
    if (Object.keys(scaffolds).length > 0) ctx.evidence['scaffolding'] = scaffolds
    if (Object.keys(unsupported).length === OPS_WITH_CASES.length) {
      // the ops the engine has come first: why they could not be checked is the useful reason
      const had = Object.entries(unsupported).filter(([, why]) => why.startsWith('every case declined'))
      throw new Unsupported(had.length > 0 ? `no op could be checked: ${had.map(([op]) => op).join(', ')}: ${had[0]![1]}` : 'no op could be checked: the engine has none of the IR’s ops')
    }
    if (parts.failed.length > 0) ctx.evidence['failingOps'] = parts.failed
    return parts.verdict()
  },
)

claim(
  {
    id: 'backprop.golden-example', kind: 'golden', expect: 'confirmed', source: '004', ops: ['Gemm', 'Sigmoid', 'Sub', 'Mul', 'ReduceSum'], needs: ['grad'],
    quote: '运用BP算法的多层前馈神经网络神经网络实例 (x=(1,0,1), 0.2 0.4 −0.5 −0.3 0.1 0.2 −0.3 −0.2 −0.4 0.2 0.1 → 0.192 −0.306 0.4 0.1 −0.508 0.194 −0.261 −0.138 0.218 0.194 −0.408)',
    reading: 'One gradient step (lr 0.9) on ½(T − O6)² of the 3-2-1 sigmoid network reproduces every published output O4–O6 and updated weight and bias when rounded to the 3 printed decimals, and the error terms Err_j = −∂L/∂θ_j within half a unit of the 3rd decimal (the source prints 4, but its Err6 = 0.1311 comes from rounded intermediates: 0.474·0.526² = 0.13115, while the exact value is 0.13117).',
  },
  async (ctx) => {
    const net = goldenNetwork(ctx.dtype)
    const c = await ctx.engine.compile(net.graph)
    requireGrad(c)
    const feeds = { ...net.feeds, ...net.params }
    const out = await c.run(feeds)
    const { grads } = await c.valueAndGrad(feeds, net.names.loss, Object.keys(net.params))
    const computed: Record<string, number> = {}
    const [o4, o5] = values(out[net.names.hidden]!)
    Object.assign(computed, { O4: o4, O5: o5, O6: values(out[net.names.out]!)[0] })
    Object.assign(computed, { Err4: -values(grads['b1']!)[0]!, Err5: -values(grads['b1']!)[1]!, Err6: -values(grads['b2']!)[0]! })
    for (const [name, [param, i]] of Object.entries(LAYOUT)) computed[name] = values(net.params[param]!)[i]! - GOLDEN.learningRate * values(grads[param]!)[i]!
    const table: Record<string, [number, number]> = {}
    const check = (published: Record<string, number>, agrees: (got: number, printed: number) => boolean, how: string) => {
      for (const [k, printed] of Object.entries(published)) {
        table[k] = [Number(computed[k]!.toFixed(6)), printed]
        expectThat(agrees(computed[k]!, printed), `${k} = ${computed[k]} but the source prints ${printed} (${how})`, ctx.replay)
      }
    }
    ctx.evidence['computedVsPublished'] = table
    const sameRounding = (got: number, printed: number) => got.toFixed(3) === printed.toFixed(3)
    check(GOLDEN.published.outputs, sameRounding, 'rounded to 3 decimals')
    check(GOLDEN.published.updated, sameRounding, 'rounded to 3 decimals')
    check(GOLDEN.published.errors, (got, printed) => Math.abs(got - printed) <= 5e-4, 'within 5e-4')
    return 'confirmed'
  },
)

claim(
  {
    id: 'backprop.descent-direction', kind: 'exact', expect: 'confirmed', source: '003', ops: ['Gemm'], needs: ['grad'],
    quote: '针对所有权重计算损失函数的导数,以确定最大上升的方向…然后向下移动',
    reading: "On random smooth losses (2-layer tanh/softplus MLPs with MSE on random data; on an engine without Softplus, tanh only, and without the MSE's ops, a fixed random linear functional of the output) where the float64 reference’s ‖∇L‖ ≥ 0.05 (flat spots are skipped and counted; at most half may be): a step of 0.01·∇L/max(1,‖∇L‖) decreases L; the directional derivative along ∇L (float64 central differences of the float64 reference's loss) equals ‖∇L‖²; and no random unit direction has a larger directional derivative than ∇L/‖∇L‖.",
  },
  async (ctx) => {
    let [cases, flat] = [0, 0]
    const acts = ['Tanh', 'Softplus'].filter((op) => hasOps(ctx.engine, op))
    if (acts.length === 0) throw new Unsupported('the engine has neither Tanh nor Softplus (the smooth activations of the networks)')
    await property(ctx, fc.record({ seed: fc.nat(), hidden: fc.integer({ min: 1, max: 6 }), act: fc.constantFrom(...acts) }), async (p) => {
      const net = smoothNet(ctx.dtype, p.seed, p.hidden, p.act, ctx.engine)
      const r = await directional(ctx, net)
      cases++
      if (r.refNorm < 0.05) return void flat++ // a flat spot by the float64 reference: no decrease is visible in float32
      expectThat(r.lossAfterStep < r.loss, `a step of ${r.step.toPrecision(3)} against the gradient raised the loss from ${r.loss} to ${r.lossAfterStep}`, ctx.replay)
      expectClose(r.alongGradient, r.gradNorm ** 2, { what: 'directional derivative along ∇L', oracle: '‖∇L‖²', tol: ctx.dtype === 'float64' ? tolerance('float64', { gradient: true }) : tolerance('float32', { reduction: r.size }), replay: ctx.replay })
      expectThat(r.bestRandom <= r.gradNorm * (1 + 1e-3), `a random unit direction rises at ${r.bestRandom}, faster than the gradient's ${r.gradNorm}`, ctx.replay)
    }, 25)
    ctx.evidence['flatCasesSkipped'] = `${flat} of ${cases}`
    control(ctx, flat <= cases / 2, `${flat} of ${cases} random losses were flat (reference ‖∇L‖ < 0.05): too few cases were checked`)
    return 'confirmed'
  },
)

claim(
  {
    id: 'backprop.second-order', kind: 'gradient', expect: 'confirmed', source: '(beyond the seeds)', ops: ['Gemm', 'Tanh', 'Mul', 'ReduceSum', 'Softplus'], needs: ['hvp'],
    quote: 'Gradients of gradients (Hessian-vector products)',
    reading: 'Hessian-vector products from the engine match central differences of its float64 gradients (float64 engines) or the float64 reference’s Hessian-vector product (float32 engines), on random small MLPs and random vectors: 10 cases each with Tanh and with Softplus hidden units (one part per activation).',
  },
  async (ctx) => {
    const parts = new Parts(ctx)
    for (const act of ['Tanh', 'Softplus']) {
      await parts.check(act, () =>
        property(ctx, fc.record({ seed: fc.nat(), hidden: fc.integer({ min: 1, max: 4 }) }), async (p) => {
          const compiled = await ctx.engine.compile(smoothNet(ctx.dtype, p.seed, p.hidden, act).graph)
          if (!compiled.hessianVectorProduct) throw new Unsupported('engine has no hessianVectorProduct (no higher-order autograd)')
          await hvpCheck(ctx, smoothNet(ctx.dtype, p.seed, p.hidden, act), compiled)
        }, 10),
      )
    }
    return parts.verdict()
  },
)
