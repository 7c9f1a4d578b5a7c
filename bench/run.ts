// `nnspec bench`: every case on every engine in one process, measured with tinybench in rounds
// that interleave the engines (so machine noise hits them alike), reported as throughput with its
// spread and as ratios to tfjs-cpu and ONNX Runtime from the same run. Gates are such ratios.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Bench } from 'tinybench'
import type { Compiled, Engine } from '../contract/types.ts'
import { castFeeds, castGraph } from '../harness/tensors.ts'
import { BUILTIN_ENGINES, loadEngine } from '../harness/engines.ts'
import { writeAtomic } from '../harness/report/write.ts'
import { benchCases, type BenchCase } from './cases.ts'

export interface Measurement {
  case: string
  engine: string
  unit: BenchCase['unit']
  /** median over rounds of work per second, in the unit (GFLOP/s, M elem/s, examples/s) */
  value: number
  spread: [number, number]
  skipped?: string
}

export interface BenchReport {
  schemaVersion: 1
  generatedAt: string
  quick: boolean
  engines: string[]
  measurements: Measurement[]
  ratios: { case: string; engine: string; vsTfjsCpu?: number; vsOnnxRuntime?: number }[]
  gates?: GateResult[]
}

export interface Gate {
  case: string
  engine: string
  over: string
  min: number
  why?: string
  /** false: checked by the full bench only, where a margin is too thin for CI's quick rounds (its why says so) */
  quick?: boolean
}

export interface GateResult extends Gate {
  ratio?: number
  pass: boolean
}

const scale = (unit: BenchCase['unit']) => (unit === 'GFLOP/s' ? 1e9 : unit === 'M elem/s' ? 1e6 : 1)

async function prepare(engine: Engine, c: BenchCase): Promise<(() => Promise<unknown>) | string> {
  for (const n of c.graph.nodes) {
    const ok = engine.supports(n)
    if (ok !== true) return `${n.op}: ${ok}`
  }
  // the cases are float32; an engine that computes only in float64 gets them cast, explicitly
  const dtype = engine.dtypes.includes('float32') ? 'float32' : 'float64'
  const feeds = castFeeds(c.feeds, dtype)
  let compiled: Compiled
  try {
    compiled = await engine.compile(castGraph(c.graph, dtype))
  } catch (e) {
    return (e as Error).message
  }
  if (c.train) {
    const { loss, wrt } = c.train
    if (!compiled.valueAndGrad) return 'no valueAndGrad'
    return () => compiled.valueAndGrad!(feeds, loss, wrt)
  }
  return () => compiled.run(feeds)
}

export async function runBench(o: { quick: boolean; engines?: string[]; cases?: string[]; log?: (s: string) => void }): Promise<BenchReport> {
  const log = o.log ?? console.log
  const names = o.engines ?? [...BUILTIN_ENGINES]
  const engines = await Promise.all(names.map((n) => loadEngine(n)))
  const cases = benchCases().filter((c) => (!o.quick || c.quick) && (!o.cases || o.cases.some((s) => c.name.includes(s))))
  if (cases.length === 0) throw new Error(`no benchmark case matches ${o.cases?.join(', ')} (cases: ${benchCases().map((c) => c.name).join(', ')})`)
  const rounds = o.quick ? 3 : 5
  const measurements: Measurement[] = []
  for (const c of cases) {
    const fns = await Promise.all(engines.map((e) => prepare(e, c)))
    const samples: number[][] = names.map(() => [])
    for (let r = 0; r < rounds; r++) {
      // a time budget per engine and round, at least one iteration, one warm-up run in the first round only
      // (tinybench's defaults, 64 iterations and 16 warm-up runs, give tfjs-cpu's 3 s MatMul 1024² minutes)
      const bench = new Bench({ time: o.quick ? 60 : 150, iterations: 1, warmup: r === 0, warmupTime: 0, warmupIterations: 1 })
      names.forEach((n, i) => {
        const fn = fns[i]
        // async: true, or tinybench probes each function with an unawaited call that overlaps the timing
        if (typeof fn === 'function') bench.add(n, fn, { async: true })
      })
      await bench.run()
      for (const t of bench.tasks) {
        const mean = t.result && 'latency' in t.result ? (t.result as { latency: { mean: number } }).latency.mean : NaN
        samples[names.indexOf(t.name)]!.push(c.work / (mean / 1000) / scale(c.unit))
      }
    }
    names.forEach((n, i) => {
      const s = [...samples[i]!].sort((a, b) => a - b)
      const fn = fns[i]
      measurements.push(typeof fn === 'string'
        ? { case: c.name, engine: n, unit: c.unit, value: NaN, spread: [NaN, NaN], skipped: fn }
        : { case: c.name, engine: n, unit: c.unit, value: s[s.length >> 1]!, spread: [s[0]!, s.at(-1)!] })
    })
    log(`${c.name.padEnd(28)} ${names.map((n) => `${n} ${fmt(measurements.find((m) => m.case === c.name && m.engine === n)!.value)}`).join('  ')} ${c.unit}`)
  }
  const at = (cs: string, e: string) => measurements.find((m) => m.case === cs && m.engine === e)?.value
  const ratios = measurements.map((m) => ({
    case: m.case,
    engine: m.engine,
    vsTfjsCpu: ratio(m.value, at(m.case, 'tfjs-cpu')),
    vsOnnxRuntime: ratio(m.value, at(m.case, 'onnxruntime')),
  }))
  return { schemaVersion: 1, generatedAt: new Date().toISOString(), quick: o.quick, engines: names, measurements, ratios }
}

const ratio = (a: number, b: number | undefined) => (b && Number.isFinite(a) && Number.isFinite(b) ? Number((a / b).toFixed(2)) : undefined)
export const fmt = (v: number) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toPrecision(3)) : '—')

export function checkGates(report: BenchReport, gates: Gate[]): GateResult[] {
  const at = (c: string, e: string) => report.measurements.find((m) => m.case === c && m.engine === e)?.value
  return gates
    .filter((g) => at(g.case, g.engine) !== undefined && !(report.quick && g.quick === false)) // quick mode measures a subset
    .map((g) => {
      const r = ratio(at(g.case, g.engine)!, at(g.case, g.over))
      return { ...g, ...(r !== undefined ? { ratio: r } : {}), pass: r !== undefined && r >= g.min }
    })
}

export const loadGates = (root: string): Gate[] => JSON.parse(readFileSync(join(root, 'bench', 'gates.json'), 'utf8')) as Gate[]

export function renderBench(r: BenchReport): string {
  const cases = [...new Set(r.measurements.map((m) => m.case))]
  const lines = [
    '# nnspec benchmarks',
    '',
    `Generated ${r.generatedAt}${r.quick ? ' (quick mode)' : ''}. Median of interleaved rounds; [min–max] over rounds. Float32, one process, all engines in the same run.`,
    '',
    `| case | unit | ${r.engines.join(' | ')} |`,
    `|---|---|${r.engines.map(() => '---').join('|')}|`,
    ...cases.map((c) => {
      const ms = r.engines.map((e) => r.measurements.find((m) => m.case === c && m.engine === e)!)
      return `| ${c} | ${ms[0]!.unit} | ${ms.map((m) => (m.skipped ? `skip` : `${fmt(m.value)} [${fmt(m.spread[0])}–${fmt(m.spread[1])}]`)).join(' | ')} |`
    }),
    '',
    '## Ratios (same run)',
    '',
    `| case | ${r.engines.map((e) => `${e} ÷ tfjs-cpu`).join(' | ')} | reference ÷ onnxruntime |`,
    `|---|${r.engines.map(() => '---').join('|')}|---|`,
    ...cases.map((c) => `| ${c} | ${r.engines.map((e) => r.ratios.find((x) => x.case === c && x.engine === e)?.vsTfjsCpu ?? '—').join(' | ')} | ${r.ratios.find((x) => x.case === c && x.engine === 'reference')?.vsOnnxRuntime ?? '—'} |`),
  ]
  const train = r.measurements.filter((m) => m.case.startsWith('train step'))
  if (train.length > 0) {
    lines.push('', '## Train step: examples/s by batch size (scale.batch-efficiency)', '', '```')
    for (const e of r.engines) {
      const pts = train.filter((m) => m.engine === e && !m.skipped)
      if (pts.length === 0) continue
      const max = Math.max(...pts.map((p) => p.value))
      lines.push(`${e}`)
      for (const p of pts) lines.push(`  ${p.case.replace('train step ', '').padEnd(12)} ${'█'.repeat(Math.max(1, Math.round((40 * p.value) / max)))} ${fmt(p.value)}`)
    }
    lines.push('```')
  }
  if (r.gates) {
    lines.push('', '## Gates (bench/gates.json)', '', '| case | engine | over | min | ratio | result |', '|---|---|---|---|---|---|')
    for (const g of r.gates) lines.push(`| ${g.case} | ${g.engine} | ${g.over} | ${g.min} | ${g.ratio ?? '—'} | ${g.pass ? 'pass' : 'FAIL'} |`)
  }
  return lines.join('\n')
}

export async function writeBench(r: BenchReport, dir: string): Promise<string[]> {
  const { renderBenchHtml } = await import('../harness/report/html/other_pages.ts')
  const files: [string, string][] = [['bench.json', `${JSON.stringify(r, null, 1)}\n`], ['bench.md', renderBench(r)], ['bench.html', await renderBenchHtml(r)]]
  return files.map(([f, text]) => {
    writeAtomic(join(dir, f), text)
    return join(dir, f)
  })
}
