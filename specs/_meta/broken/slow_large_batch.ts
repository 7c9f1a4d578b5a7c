// Broken on purpose (in throughput, not in values): the engine works through a batch one example at a
// time, paying a fixed 2 ms per example, so a larger batch buys nothing.
import { createReferenceEngine } from '../../../engine/index.ts'
import type { Engine } from '../../../contract/types.ts'

const ref = createReferenceEngine('float32')
const busy = (ms: number) => {
  const end = performance.now() + ms
  while (performance.now() < end) {
    // a per-example cost the engine never amortizes
  }
}
const engine: Engine = {
  ...ref,
  name: 'broken: no batching',
  async compile(graph) {
    const c = await ref.compile(graph)
    // the batch: the first graph input's leading dim as fed
    const rows = (f: Record<string, { shape: number[] }>) => f[graph.inputs[0]?.name ?? '']?.shape[0] ?? 1
    return {
      ...c,
      run: async (f) => (busy(2 * rows(f)), c.run(f)),
      valueAndGrad: async (f, of, wrt) => (busy(2 * rows(f)), c.valueAndGrad!(f, of, wrt)),
    }
  },
}
export default engine
