// Differential testing: run one graph on two engines; on a mismatch, name the first node (in
// topological order) whose output diverges, by exposing every node's output.
import { expectClose, Mismatch, tolerance } from './assert.ts'
import type { Engine, Graph, TensorData } from '../contract/types.ts'
import { castFeeds, castGraph, values } from './tensors.ts'

export interface Divergence {
  node: string
  op: string
  message: string
}

const allOutputs = (g: Graph): Graph => ({ ...g, outputs: g.nodes.flatMap((n) => n.outputs) })

/** The first node whose output differs between `engine` and the float64 `reference`, if any. */
export async function firstDivergence(engine: Engine, reference: Engine, graph: Graph, feeds: Record<string, TensorData>): Promise<Divergence | undefined> {
  const g = allOutputs(graph)
  const mine = await (await engine.compile(g)).run(feeds)
  const want = await (await reference.compile(castGraph(g, 'float64'))).run(castFeeds(feeds, 'float64'))
  const dtype = engine.dtypes.includes('float64') ? 'float64' : 'float32'
  for (const node of graph.nodes) {
    for (const o of node.outputs) {
      try {
        // depth widens the tolerance: float32 rounding compounds along the path
        expectClose(mine[o]!, want[o]!, { what: `node "${node.name}" (${node.op}) output`, oracle: reference.name, tol: tolerance(dtype, { reduction: 16 * graph.nodes.length }), replay: '' })
      } catch (e) {
        if (!(e instanceof Mismatch)) throw e
        return { node: node.name ?? o, op: node.op, message: e.message.replace(/; replay: $/, '') }
      }
    }
  }
  return undefined
}

export const graphJson = (g: Graph, feeds: Record<string, TensorData>): string =>
  JSON.stringify({ graph: g, feeds: Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, { dtype: t.dtype, shape: t.shape, data: values(t) }])) }, (_k, v: unknown) => (v instanceof BigInt64Array ? Array.from(v, Number) : typeof v === 'bigint' ? Number(v) : v))
