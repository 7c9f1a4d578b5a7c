// Per-op agreement (not catalog claims: ids `ops.*`). Every op of the IR, on random shapes,
// attributes and values, must agree with the float64 reference engine under the tolerance policy;
// the reference itself is checked against ONNX Runtime. Gradients are checked by backprop.chain-rule.
// Conventions where engines may legitimately differ (subgradients at kinks) are measured and stated.
import { agreeWithOracle } from '../harness/agreement.ts'
import { expectThat } from '../harness/assert.ts'
import { OPS_WITH_CASES, opCase } from '../harness/arbitraries/op_case.ts'
import { claim } from '../harness/claim.ts'
import { loadEngine } from '../harness/engines.ts'
import { Parts } from '../harness/parts.ts'
import { property } from '../harness/property.ts'
import { conventions, type Convention } from './support/conventions.ts'

for (const op of OPS_WITH_CASES) {
  claim(
    {
      id: `ops.${op}`, kind: 'exact', expect: 'confirmed', source: 'ONNX opset 17', ops: [op],
      quote: `ONNX ${op} (opset 17)`,
      reading: `${op}'s outputs on random valid shapes, attributes and values (fast-check, 10 cases) agree with reference-f64 (the reference-f64 engine itself with onnxruntime), |a − b| ≤ atol + rtol·|b| widened by √K for reductions of length K.`,
    },
    async (ctx) => {
      const oracle = await loadEngine(ctx.engineName === 'reference-f64' ? 'onnxruntime' : 'reference-f64')
      if (oracle.supports({ op, inputs: [], outputs: [] }) !== true) return 'confirmed'
      await property(ctx, opCase({ dtype: ctx.dtype, ops: [op] }), async (c) => {
        if (ctx.engine.supports(c.graph.nodes[0]!) !== true) return // attributes this engine declines (stated by supports)
        await agreeWithOracle(ctx, c, op, Math.max(...Object.values(c.feeds).map((t) => t.data.length)))
      }, Math.min(ctx.numRuns, 10))
      return 'confirmed'
    },
  )
}

claim(
  {
    id: 'ops.conventions', kind: 'gradient', expect: 'confirmed', source: 'ONNX opset 17 (no gradients specified)', ops: ['Relu', 'Abs', 'Max', 'Clip', 'ReduceMax', 'LeakyRelu'], needs: ['grad'],
    quote: 'ONNX defines no gradients: at kinks each engine picks a subgradient',
    reading: "At the kinks — Relu'(0), Abs'(0), LeakyRelu'(0), Max(a, a), Clip at its bounds, ReduceMax with ties — the engine's gradient is measured and stated; it must be a valid subgradient (within the interval of one-sided derivatives, and for ties summing to the incoming gradient).",
  },
  async (ctx) => {
    const found: Record<string, Convention> = await conventions(ctx)
    ctx.evidence['conventions'] = found
    const parts = new Parts(ctx)
    for (const [name, c] of Object.entries(found)) await parts.check(name, () => expectThat(c.valid, `${name}: gradient ${JSON.stringify(c.grad)} is not a subgradient (${c.rule})`, ctx.replay))
    return parts.verdict()
  },
)
