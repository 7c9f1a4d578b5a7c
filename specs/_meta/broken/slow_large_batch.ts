// Broken on purpose (in throughput, not in values): the engine works through a batch one example at a
// time, so a larger batch buys nothing. A batch of B rows costs the call itself plus B − 1 times what
// one example costs from the caller's side: the mean interval between consecutive one-row calls (the
// last 16, once there are 5), which includes the caller's own per-call overhead and the machine's
// stalls, as the claim's own mean latency does. A busy wait of a fixed 2 ms per example, and then the
// median interval, were overtaken by those on a loaded machine, and the engine passed.
import { createReferenceEngine } from '../../../engine/index.ts'
import type { Engine } from '../../../contract/types.ts'

const ref = createReferenceEngine('float32')
// a per-example cost the engine never amortizes: the thread blocks (the time passes as the caller
// sees it, but the core is free for other work: spinning, it took 9 of the soundness test's 57 CPU-s)
const blocker = new Int32Array(new SharedArrayBuffer(4))
const busy = (ms: number) => void Atomics.wait(blocker, 0, 0, ms)
const cycles: number[] = [] // ms between the starts of consecutive one-row calls
let last = { start: 0, rows: 0 }
// until there are 5 intervals: the latest one-row call's own time, at most 5 ms (the first call is a
// warm-up that can take 50 ms, and 255 of those would make one batch-256 call last 13 s)
let single = 0.5
const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length
async function oneByOne<T>(rows: number, call: () => Promise<T>): Promise<T> {
  const start = performance.now()
  if (rows === 1 && last.rows === 1) cycles.push(start - last.start) > 16 && cycles.shift()
  last = { start, rows }
  const result = await call()
  if (rows === 1) single = Math.min(5, Math.max(0.5, performance.now() - start))
  if (rows > 1) busy((cycles.length < 5 ? single : mean(cycles)) * (rows - 1))
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
