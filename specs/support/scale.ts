// Throughput of a dense layer's train step (bench/cases.ts trainStep) at a few batch sizes, measured
// inside the claim: the batch sizes interleaved in rounds with tinybench, the median round kept, so a
// busy machine slows every batch size alike and the ratios the claim reads stay put.
import { Bench } from 'tinybench'
import { requireGrad, type ClaimContext } from '../../harness/claim.ts'
import { castFeeds, castGraph } from '../../harness/tensors.ts'
import { trainStep } from '../../bench/cases.ts'

export async function trainStepCurve(ctx: ClaimContext, batches: number[], rounds = 5): Promise<Record<number, number>> {
  const engine = ctx.timing // unwrapped: the harness's checks would cost small batches relatively more
  const steps = await Promise.all(
    batches.map(async (b) => {
      const c = trainStep(b, false)
      const compiled = await engine.compile(castGraph(c.graph, ctx.dtype))
      requireGrad(compiled)
      const feeds = castFeeds(c.feeds, ctx.dtype)
      return () => compiled.valueAndGrad!(feeds, c.train!.loss, c.train!.wrt)
    }),
  )
  const samples: number[][] = batches.map(() => [])
  for (let r = 0; r < rounds; r++) {
    const bench = new Bench({ time: 40, iterations: 1, warmup: r === 0, warmupTime: 0, warmupIterations: 1 })
    // `async: true` says so: otherwise tinybench calls each function once, unawaited, to find out, and
    // that call's work lands inside the measurement of whichever task runs first
    batches.forEach((b, i) => bench.add(String(b), steps[i]!, { async: true }))
    await bench.run()
    for (const t of bench.tasks) {
      const mean = t.result && 'latency' in t.result ? (t.result as { latency: { mean: number } }).latency.mean : NaN
      samples[batches.indexOf(Number(t.name))]!.push(Number(t.name) / (mean / 1000))
    }
  }
  return Object.fromEntries(batches.map((b, i) => [b, Number([...samples[i]!].sort((x, y) => x - y)[rounds >> 1]!.toPrecision(4))]))
}
