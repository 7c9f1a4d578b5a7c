// A broken engine made by rewriting each graph before the reference engine compiles it: the bug
// lives entirely behind the contract, as it would in a third party's adapter.
import { createReferenceEngine } from '../../../engine/index.ts'
import type { Engine, Graph, Node } from '../../../contract/types.ts'

export function rewritingEngine(name: string, rewrite: (node: Node, graph: Graph) => Node[]): Engine {
  const ref = createReferenceEngine('float32')
  return {
    ...ref,
    name,
    compile: (graph) => {
      const copy: Graph = { ...graph, initializers: { ...graph.initializers } }
      return ref.compile({ ...copy, nodes: graph.nodes.flatMap((n) => rewrite(n, copy)) })
    },
  }
}

/** Gather that reorders the gate blocks of a recurrent weight along `axis` (block size `h`). */
export function permuteBlocks(graph: Graph, input: string, order: number[], h: number, axis: number, tag: string): { node: Node; out: string } {
  const idx = order.flatMap((b) => Array.from({ length: h }, (_, i) => b * h + i))
  const name = `${tag}_perm_${input}`
  graph.initializers![name] = { dtype: 'int64', shape: [idx.length], data: BigInt64Array.from(idx.map(BigInt)) }
  return { node: { op: 'Gather', inputs: [input, name], outputs: [`${name}_out`], attrs: { axis } }, out: `${name}_out` }
}
