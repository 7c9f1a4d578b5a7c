// Per-op agreement (not catalog claims: ids `ops.*`). Every op of the IR, on random shapes,
// attributes and values, must agree with the float64 reference engine under the tolerance policy;
// the reference itself is checked against ONNX Runtime. Gradients are checked by backprop.chain-rule.
// Conventions where engines may legitimately differ (subgradients at kinks) are measured and stated.
import type { Engine } from '../contract/types.ts'
import { agreeWithOracle } from '../harness/agreement.ts'
import { expectThat } from '../harness/assert.ts'
import { OPS_WITH_CASES, opCase } from '../harness/arbitraries/op_case.ts'
import { claim, Unsupported } from '../harness/claim.ts'
import { loadEngine } from '../harness/engines.ts'
import { Parts } from '../harness/parts.ts'
import { property } from '../harness/property.ts'
import { hasOps } from '../harness/supports.ts'
import { conventions } from './support/conventions.ts'

for (const op of OPS_WITH_CASES) {
  claim(
    {
      id: `ops.${op}`, kind: 'exact', expect: 'confirmed', source: 'ONNX opset 17', ops: [op],
      quote: `ONNX ${op} (opset 17)`,
      reading: `${op}'s outputs on random valid shapes, attributes and values (fast-check, 10 cases; optional attributes and operands sometimes left out, so ONNX's defaults are checked; values include ±0, tiny and huge magnitudes and ties) agree with reference-f64 (the reference-f64 engine itself with onnxruntime), compared in the lower of the two precisions (a float32 overflow to ±∞ is the float32 answer), |a − b| ≤ atol + rtol·|b| widened by √K for reductions of length K.`,
    },
    async (ctx) => {
      // the oracle is reference-f64 (for reference-f64 itself, onnxruntime); one that lacks the op hands over to the other
      const names = ctx.engineName === 'reference-f64' ? ['onnxruntime'] : ['reference-f64', 'onnxruntime'].filter((n) => n !== ctx.engineName)
      // an oracle whose library is not installed (onnxruntime-node is optional) is not one
      const oracles = await Promise.all(names.map((n) => loadEngine(n).catch((e: unknown) => (e instanceof Unsupported ? e.message : Promise.reject(e)))))
      const oracle = oracles.find((o): o is Engine => typeof o !== 'string' && hasOps(o, op))
      if (!oracle) throw new Unsupported(`no oracle has ${op} (${names.map((n, i) => (typeof oracles[i] === 'string' ? `${n}: ${oracles[i]}` : n)).join(', ')})`)
      let [checked, declined, oracleDeclined] = [0, '', 0]
      await property(ctx, opCase({ dtype: ctx.dtype, ops: [op], extremes: true }), async (c) => {
        const ok = ctx.engine.supports(c.graph.nodes[0]!)
        if (ok !== true) return void (declined = ok) // attributes this engine declines: counted below
        // nor can the oracle judge every case (ONNX Runtime refuses recurrent nodes without hidden_size)
        if (await agreeWithOracle(ctx, c, op, Math.max(...Object.values(c.feeds).map((t) => t.data.length)), oracle.name)) checked++
        else oracleDeclined++
      }, Math.min(ctx.numRuns, 10))
      ctx.evidence['casesChecked'] = checked
      if (oracleDeclined > 0) ctx.evidence['casesTheOracleDeclined'] = oracleDeclined
      if (checked === 0) throw new Unsupported(`the engine declined every ${op} case: ${declined}`)
      return 'confirmed'
    },
  )
}

claim(
  {
    id: 'ops.conventions', kind: 'gradient', expect: 'confirmed', source: 'ONNX opset 17 (no gradients specified)', ops: [], needs: ['grad'],
    quote: 'ONNX defines no gradients: at kinks each engine picks a subgradient',
    reading: "At the kinks — Relu'(0), Abs'(0), LeakyRelu'(0), Max(a, a), Clip at its bounds, ReduceMax with ties — the engine's gradient is measured and stated; it must be a valid subgradient (within the interval of one-sided derivatives, and for ties summing to the incoming gradient). One part per kink; an engine that lacks the op skips that part only.",
  },
  async (ctx) => {
    const { found, skipped } = await conventions(ctx)
    if (Object.keys(found).length === 0) throw new Unsupported(`the engine has none of the ops with kinks: ${Object.values(skipped).join('; ')}`)
    ctx.evidence['conventions'] = found
    if (Object.keys(skipped).length > 0) ctx.evidence['notAsked'] = skipped
    const parts = new Parts(ctx)
    for (const [name, c] of Object.entries(found)) await parts.check(name, () => expectThat(c.valid, `${name}: gradient ${JSON.stringify(c.grad)} is not a subgradient (${c.rule})`, ctx.replay))
    return parts.verdict()
  },
)
