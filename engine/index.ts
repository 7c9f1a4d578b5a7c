// The reference engine behind the contract: float32 (`reference`) or float64 (`reference-f64`).
import type { Engine, FloatDType, Node } from '../contract/types.ts'
import type { OpDef } from './autograd.ts'
import { compileGraph } from './graph.ts'
import { OPS } from './ops/index.ts'
import { initialize } from './nn/init.ts'
import { createOptimizer } from './optim/index.ts'

/** `overrides` replaces ops (or `optimizer` the update rules): how specs/_meta builds engines with one deliberate bug. */
export function createReferenceEngine(dtype: FloatDType, overrides: OpDef[] = [], name?: string, optimizer: Engine['optimizer'] = createOptimizer): Engine {
  const ops: ReadonlyMap<string, OpDef> = new Map([...OPS, ...overrides.map((d): [string, OpDef] => [d.name, d])])
  return {
    name: name ?? (dtype === 'float32' ? 'reference' : 'reference-f64'),
    version: '0.1.0',
    dtypes: [dtype],
    supports: (node: Node) => (ops.has(node.op) ? true : `the reference engine has no ${node.op} op`),
    compile: async (graph) => compileGraph(graph, dtype, ops),
    optimizer: (spec) => optimizer!(spec),
    initialize: (spec) => initialize(spec, dtype),
  }
}

export default createReferenceEngine('float32')
