// Random-graph differential testing (not a catalog claim: id `ops.differential`): well-formed random
// graphs of 2–12 nodes run on the engine and on reference-f64; a mismatch is shrunk by fast-check to
// a minimal graph, localized to the first diverging node, and written (as JSON) into the report.
import { expectThat } from '../harness/assert.ts'
import { GRAPH_OPS, randomGraph } from '../harness/arbitraries/graph.ts'
import { claim, Unsupported } from '../harness/claim.ts'
import { firstDivergence, graphJson } from '../harness/differential.ts'
import { loadEngine } from '../harness/engines.ts'
import { property } from '../harness/property.ts'
import { hasOps } from '../harness/supports.ts'

claim(
  {
    id: 'ops.differential', kind: 'metamorphic', expect: 'confirmed', source: 'ONNX opset 17',
    ops: [],
    quote: 'differential testing of whole graphs',
    reading: 'Random graphs of 2–12 nodes (drawn from the ops of GRAPH_OPS that the engine supports) agree, node by node, with reference-f64 (the reference-f64 engine with onnxruntime) under the tolerance policy; a mismatch names the first diverging node and carries the shrunk graph as JSON.',
  },
  async (ctx) => {
    const oracle = await loadEngine(ctx.engineName === 'reference-f64' ? 'onnxruntime' : 'reference-f64')
    const asOracle = ctx.engineName === 'reference-f64'
    let graphs = 0
    // a graph is drawn from the ops this engine has (and its oracle: a partial engine is still tested on the rest)
    const ops = GRAPH_OPS.filter((op) => hasOps(ctx.engine, op) && hasOps(oracle, op))
    if (ops.length === 0) throw new Unsupported(`the engine has none of the ops random graphs are drawn from (${GRAPH_OPS.join(', ')})`)
    ctx.evidence['opsDrawnFrom'] = ops.join(', ')
    await property(ctx, randomGraph({ dtype: asOracle ? 'float32' : ctx.dtype, ops }), async (r) => {
      graphs++
      const d = asOracle ? await firstDivergence(oracle, ctx.engine, r.graph, r.feeds) : await firstDivergence(ctx.engine, oracle, r.graph, r.feeds)
      if (d) ctx.evidence['divergingGraph'] = graphJson(r.graph, r.feeds)
      expectThat(!d, `first diverging node: ${d?.message} in graph ${r.steps.join(' → ')}`, ctx.replay)
    }, Math.min(ctx.numRuns, 60))
    ctx.evidence['graphsCompared'] = graphs
    return 'confirmed'
  },
)
