// CLAIMS.md §13 — scale and hardware efficiency (benchmark kind: reads `nnspec bench` results).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expectThat } from '../harness/assert.ts'
import { claim, Unsupported } from '../harness/claim.ts'
import type { BenchReport } from '../bench/run.ts'

claim(
  {
    id: 'scale.batch-efficiency', kind: 'benchmark', expect: 'confirmed', source: '001', ops: ['Gemm', 'Relu', 'Sub', 'Mul', 'ReduceMean'],
    quote: '更小的批量也会降低GPU的效率',
    reading: 'Examples per second of one dense layer’s forward + backward (256 → 256, from reports/bench.json written by `npm run bench`) grow with batch size: batch 256 processes at least 4× the examples per second of batch 1, and no larger batch falls below 80% of the best smaller one (growth up to a plateau).',
  },
  async (ctx) => {
    const file = join(process.env['NNSPEC_REPORT_DIR'] ?? 'reports', 'bench.json')
    if (!existsSync(file)) throw new Unsupported(`no ${file}: run \`npm run bench\` first (benchmarks are not timed inside tests)`)
    const report = JSON.parse(readFileSync(file, 'utf8')) as BenchReport
    const pts = report.measurements.filter((m) => m.engine === ctx.engineName && m.case.startsWith('train step') && !m.skipped)
    if (pts.length < 3) throw new Unsupported(`${file} has no train-step curve for ${ctx.engineName} (quick mode measures one batch size)`)
    const curve = pts.map((p) => [Number(p.case.replace('train step batch ', '')), Number(p.value.toPrecision(4))] as [number, number])
    ctx.evidence['examplesPerSecondByBatch'] = Object.fromEntries(curve)
    const at = (b: number) => curve.find(([x]) => x === b)?.[1]
    expectThat((at(256) ?? 0) >= 4 * (at(1) ?? Infinity), `batch 256 gives ${at(256)} examples/s, not 4× batch 1 (${at(1)})`, ctx.replay)
    curve.forEach(([b, v], i) => {
      const best = Math.max(...curve.slice(0, i).map(([, w]) => w), 0)
      expectThat(v >= 0.8 * best, `batch ${b} gives ${v} examples/s, below 80% of a smaller batch's ${best}`, ctx.replay)
    })
    return 'confirmed'
  },
)
