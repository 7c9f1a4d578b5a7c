// Forward agreement of one graph between the engine under test and an independent oracle:
// reference-f64 for every engine, except reference-f64 itself (checked by ONNX Runtime in float32)
// and ONNX Runtime (checked by reference-f64).
import { expectClose, tolerance } from './assert.ts'
import type { ClaimContext } from './claim.ts'
import type { Graph, TensorData } from '../contract/types.ts'
import { loadEngine } from './engines.ts'
import { cast, castFeeds, castGraph } from './tensors.ts'

/**
 * `prefer` names the oracle to use unless it is the engine under test itself. Returns false (and
 * compares nothing) when the oracle declines one of the graph's nodes: callers count such cases.
 */
export async function agreeWithOracle(ctx: ClaimContext, c: { graph: Graph; feeds: Record<string, TensorData>; outputs: string[] }, what: string, reduction: number, prefer = 'reference-f64'): Promise<boolean> {
  const other = prefer === 'reference-f64' ? 'onnxruntime' : 'reference-f64'
  const oracleName = ctx.engineName === prefer ? other : prefer
  const oracle = await loadEngine(oracleName)
  const oracleGraph = explicitHiddenSize(c.graph)
  if (oracleGraph.nodes.some((n) => oracle.supports(n) !== true)) return false
  const f32 = oracleName === 'onnxruntime'
  const dtype = f32 ? 'float32' : 'float64'
  const mine = await (await ctx.engine.compile(c.graph)).run(c.feeds)
  const want = await (await oracle.compile(castGraph(oracleGraph, dtype))).run(castFeeds(c.feeds, dtype))
  // compared in the lower of the two precisions: a float32 result that overflows to ±∞ is the float32 answer
  const low = f32 || ctx.dtype === 'float32'
  const inLow = (t: TensorData) => (low ? cast(t, 'float32') : t)
  for (const o of c.outputs) {
    expectClose(inLow(mine[o]!), inLow(want[o]!), { what: `${what} ${o}`, oracle: oracle.name, tol: tolerance(low ? 'float32' : ctx.dtype, { reduction }), replay: ctx.replay })
  }
  return true
}

/**
 * ONNX makes a recurrent node's hidden_size optional (R's shape [dirs, gates·h, h] gives it); ONNX
 * Runtime refuses a node without it. The oracle gets it written out, with the value ONNX defines; the
 * engine under test gets the graph as drawn, so its reading of the default is still checked.
 */
function explicitHiddenSize(g: Graph): Graph {
  const shapeOf = (name: string | undefined) => (name === undefined ? undefined : (g.inputs.find((i) => i.name === name)?.shape ?? g.initializers?.[name]?.shape))
  return {
    ...g,
    nodes: g.nodes.map((n) => {
      const h = shapeOf(n.inputs[2])?.[2]
      return ['RNN', 'GRU', 'LSTM'].includes(n.op) && n.attrs?.['hidden_size'] === undefined && typeof h === 'number' ? { ...n, attrs: { ...n.attrs, hidden_size: h } } : n
    }),
  }
}
