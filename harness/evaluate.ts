// Compile, run once, read every output as numbers, release: the forward evaluation specs repeat.
import type { Engine, Graph, TensorData } from '../contract/types.ts'
import { values } from './tensors.ts'

export async function evaluate(engine: Engine, graph: Graph, feeds: Record<string, TensorData>): Promise<Record<string, { shape: number[]; v: number[] }>> {
  const c = await engine.compile(graph)
  try {
    const out = await c.run(feeds)
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { shape: t.shape, v: values(t) }]))
  } finally {
    c.dispose?.()
  }
}
