// CLAIMS.md §13 — scale and hardware efficiency: a benchmark claim that measures its own small curve
// (ratios within one run, never absolute times; the full curve is `npm run bench`).
import { expectThat } from '../harness/assert.ts'
import { claim } from '../harness/claim.ts'
import { trainStepCurve } from './support/scale.ts'

claim(
  {
    id: 'scale.batch-efficiency', kind: 'benchmark', expect: 'confirmed', source: '001', ops: ['Gemm', 'Relu', 'Sub', 'Mul', 'ReduceMean'], needs: ['grad'],
    quote: '更小的批量也会降低GPU的效率',
    reading: 'Examples per second of one dense layer’s forward + backward (256 → 256, ReLU, MSE), measured in this run at batch 1, 16 and 256 (interleaved in 5 rounds, median kept) grow with batch size: batch 256 processes at least 4× the examples per second of batch 1, and no larger batch falls below 80% of a smaller one (growth up to a plateau). `npm run bench` measures the whole curve (1…1024).',
  },
  async (ctx) => {
    const curve = await trainStepCurve(ctx, [1, 16, 256])
    ctx.evidence['examplesPerSecondByBatch'] = curve
    const at = (b: number) => curve[b]!
    expectThat(at(256) >= 4 * at(1), `batch 256 gives ${at(256)} examples/s, not 4× batch 1 (${at(1)})`, ctx.replay)
    for (const [small, large] of [[1, 16], [16, 256], [1, 256]] as const) expectThat(at(large) >= 0.8 * at(small), `batch ${large} gives ${at(large)} examples/s, below 80% of batch ${small}'s ${at(small)}`, ctx.replay)
    return 'confirmed'
  },
)
