// The reference engine with its answers changed after the fact: how the generic broken engines are made.
import { createReferenceEngine } from '../../../engine/index.ts'
import type { Compiled, Engine, Optimizer, OptimizerSpec, TensorData, ValueAndGrad } from '../../../contract/types.ts'

export interface Changes {
  grads?: (r: ValueAndGrad) => ValueAndGrad
  hvp?: (r: Record<string, TensorData>) => Record<string, TensorData>
  optimizer?: (spec: OptimizerSpec, ref: Optimizer) => Optimizer
}

export function adapted(name: string, c: Changes, base: Engine = createReferenceEngine('float32')): Engine {
  return {
    ...base,
    name,
    async compile(graph) {
      const inner = await base.compile(graph)
      const out: Compiled = { ...inner }
      if (c.grads && inner.valueAndGrad) out.valueAndGrad = async (f, of, wrt) => c.grads!(await inner.valueAndGrad!(f, of, wrt))
      if (c.hvp && inner.hessianVectorProduct) out.hessianVectorProduct = async (f, of, wrt, v) => c.hvp!(await inner.hessianVectorProduct!(f, of, wrt, v))
      return out
    },
    ...(c.optimizer ? { optimizer: (spec: OptimizerSpec) => c.optimizer!(spec, base.optimizer!(spec)) } : {}),
  }
}

export const mapTensors = (ts: Record<string, TensorData>, f: (v: number) => number): Record<string, TensorData> =>
  Object.fromEntries(Object.entries(ts).map(([k, t]) => [k, { ...t, shape: [...t.shape], data: (t.data as Float32Array).map(f) }]))
