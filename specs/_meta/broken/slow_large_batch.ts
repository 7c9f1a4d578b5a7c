// Broken on purpose (in throughput, not in values): the engine works through a batch one example at a
// time, so a larger batch buys nothing. Each call pays, per example, what one example really costs
// (the median of the last 9 one-row calls once there are 5, at least 2 ms). A fixed 2 ms alone was
// overtaken by the engine's own per-call overhead on a loaded machine: batch 1 got slow enough for
// batch 256 to look 4× faster, and the broken engine passed.
import { createReferenceEngine } from '../../../engine/index.ts'
import type { Engine } from '../../../contract/types.ts'

const ref = createReferenceEngine('float32')
const busy = (ms: number) => {
  const end = performance.now() + ms
  while (performance.now() < end) {
    // a per-example cost the engine never amortizes
  }
}
const single: number[] = [] // ms of the latest one-row calls
const unit = () => Math.max(2, single.length < 5 ? 0 : [...single].sort((a, b) => a - b)[single.length >> 1]!) // a warm-up call is no example's cost
async function oneByOne<T>(rows: number, call: () => Promise<T>): Promise<T> {
  const started = performance.now()
  const result = await call()
  if (rows === 1) single.push(performance.now() - started) > 9 && single.shift()
  busy(unit() * rows)
  return result
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
      run: (f) => oneByOne(rows(f), () => c.run(f)),
      valueAndGrad: (f, of, wrt) => oneByOne(rows(f), () => c.valueAndGrad!(f, of, wrt)),
    }
  },
}
export default engine
