// The reference engine behind the contract: float32 (`reference`) or float64 (`reference-f64`).
import type { Engine, FloatDType, Node } from '../harness/contract.ts'
import { compileGraph } from './graph.ts'
import { OPS } from './ops/index.ts'
import { createOptimizer } from './optim/index.ts'

export function createReferenceEngine(dtype: FloatDType): Engine {
  return {
    name: dtype === 'float32' ? 'reference' : 'reference-f64',
    version: '0.1.0',
    dtypes: [dtype],
    supports: (node: Node) => (OPS.has(node.op) ? true : `the reference engine has no ${node.op} op`),
    compile: async (graph) => compileGraph(graph, dtype),
    optimizer: createOptimizer,
  }
}

export default createReferenceEngine('float32')
