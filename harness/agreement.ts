// Forward agreement of one graph between the engine under test and an independent oracle:
// reference-f64 for every engine, except reference-f64 itself (checked by ONNX Runtime in float32)
// and ONNX Runtime (checked by reference-f64).
import { expectClose, tolerance } from './assert.ts'
import type { ClaimContext } from './claim.ts'
import type { Graph, TensorData } from '../contract/types.ts'
import { loadEngine } from './engines.ts'
import { toF64, values } from './tensors.ts'

const asF32 = (t: TensorData): TensorData => (t.dtype === 'float64' ? { ...t, dtype: 'float32', data: Float32Array.from(values(t)) } : t)

/** `prefer` names the oracle to use unless it is the engine under test itself. */
export async function agreeWithOracle(ctx: ClaimContext, c: { graph: Graph; feeds: Record<string, TensorData>; outputs: string[] }, what: string, reduction: number, prefer = 'reference-f64'): Promise<void> {
  const other = prefer === 'reference-f64' ? 'onnxruntime' : 'reference-f64'
  const oracleName = ctx.engineName === prefer ? other : prefer
  const oracle = await loadEngine(oracleName)
  const f32 = oracleName === 'onnxruntime'
  const convert = f32 ? asF32 : (t: TensorData) => (t.dtype === 'float32' ? toF64(t) : t)
  const graph: Graph = {
    ...c.graph,
    inputs: c.graph.inputs.map((i) => ({ ...i, dtype: f32 ? 'float32' : 'float64' })),
    initializers: Object.fromEntries(Object.entries(c.graph.initializers ?? {}).map(([k, t]) => [k, convert(t)])),
  }
  const mine = await (await ctx.engine.compile(c.graph)).run(c.feeds)
  const want = await (await oracle.compile(graph)).run(Object.fromEntries(Object.entries(c.feeds).map(([k, t]) => [k, convert(t)])))
  for (const o of c.outputs) {
    expectClose(mine[o]!, want[o]!, { what: `${what} ${o}`, oracle: oracle.name, tol: tolerance(f32 ? 'float32' : ctx.dtype, { reduction }), replay: ctx.replay })
  }
}
