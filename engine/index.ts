// The reference engine behind the contract: float32 (`reference`) or float64 (`reference-f64`).
import type { Engine, FloatDType, Node } from '../contract/types.ts'
import type { OpDef } from './autograd.ts'
import { compileGraph } from './graph.ts'
import { OPS } from './ops/index.ts'
import { initialize } from './nn/init.ts'
import { createOptimizer } from './optim/index.ts'

/** Forms of an op the reference does not implement (yet): said up front, so callers skip rather than fail. */
function declined(node: Node): string | undefined {
  if (node.op === 'MaxPool' && node.outputs.filter(Boolean).length > 1) return 'MaxPool: no Indices output'
  if (['RNN', 'GRU', 'LSTM'].includes(node.op) && (node.inputs[4] ?? '') !== '') return `${node.op}: no sequence_lens input (every sequence runs its full length)`
  return undefined
}

/** `overrides` replaces ops (or `optimizer` the update rules): how specs/_meta builds engines with one deliberate bug. */
export function createReferenceEngine(dtype: FloatDType, overrides: OpDef[] = [], name?: string, optimizer: Engine['optimizer'] = createOptimizer): Engine {
  const ops: ReadonlyMap<string, OpDef> = new Map([...OPS, ...overrides.map((d): [string, OpDef] => [d.name, d])])
  return {
    name: name ?? (dtype === 'float32' ? 'reference' : 'reference-f64'),
    version: '0.1.0',
    dtypes: [dtype],
    supports: (node: Node) => (ops.has(node.op) ? (declined(node) ?? true) : `the reference engine has no ${node.op} op`),
    compile: async (graph) => compileGraph(graph, dtype, ops),
    optimizer: (spec) => optimizer!(spec),
    initialize: (spec) => initialize(spec, dtype),
  }
}

export default createReferenceEngine('float32')
