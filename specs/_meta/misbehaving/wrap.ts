// Adapters that misbehave the way real ones do, each on graphs containing one op only, so that the
// claims not using that op still pass: the harness must isolate the harm to the claims it touches.
import { createReferenceEngine } from '../../../engine/index.ts'
import type { Compiled, Engine, Graph, TensorData } from '../../../contract/types.ts'

type Method = 'compile' | 'run' | 'valueAndGrad'
type Act = (ctx: { feeds?: Record<string, TensorData>; result?: unknown }) => unknown

export const spin = (): never => {
  for (;;) {
    // a synchronous loop: no timer in this process can interrupt it
  }
}

/** Blocks the thread for good, as `spin` does, without burning a core while the watchdog waits. */
export const block = (): never => {
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
}

/** The reference engine, except that `method` on a graph containing `op` does `act` (its result, if any, is returned instead). */
export function misbehaving(name: string, op: string, method: Method, act: Act): Engine {
  const ref = createReferenceEngine('float32')
  const has = (g: Graph) => g.nodes.some((n) => n.op === op)
  return {
    ...ref,
    name,
    async compile(graph) {
      if (method === 'compile' && has(graph)) act({})
      const c = await ref.compile(graph)
      if (!has(graph)) return c
      const wrapped: Compiled = {
        run: async (feeds) => {
          const result = await c.run(feeds)
          return method === 'run' ? (((await act({ feeds, result })) ?? result) as Record<string, TensorData>) : result
        },
      }
      if (c.valueAndGrad) {
        wrapped.valueAndGrad = async (feeds, of, wrt) => {
          const result = await c.valueAndGrad!(feeds, of, wrt)
          return method === 'valueAndGrad' ? ((act({ feeds, result }) ?? result) as Awaited<ReturnType<NonNullable<Compiled['valueAndGrad']>>>) : result
        }
      }
      return wrapped
    },
  }
}
