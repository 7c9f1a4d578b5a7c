// The report's plots, as vega-lite specs rendered to inline SVG by vega at report time (no browser,
// no network, no hand-drawn SVG). Each reads the evidence the claims leave behind.
import * as vega from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'
import type { ClaimRecord } from '../../claim.ts'

export interface Chart {
  id: string
  title: string
  note: string
  svg: string
}

const short = (engine: string) => engine.replace(/^.*\//, '')

async function svgOf(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' })
  return (await view.toSVG()).replace(/^<svg /, '<svg role="img" ')
}

const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: { font: 'system-ui, sans-serif', view: { stroke: '#ccc' } } } as const

interface Rate {
  claim: string
  engine: string
  rate: number
  lo: number
  hi: number
  threshold: number
  n: number
}

/** Every judged rate in the evidence ({ successes, n, rate, interval, threshold }), with its Wilson interval. */
export function rates(records: ClaimRecord[]): Rate[] {
  return records.flatMap((r) =>
    Object.entries(r.evidence).flatMap(([label, v]) => {
      const e = v as { rate?: number; interval?: [number, number]; threshold?: number; n?: number }
      return e && typeof e === 'object' && typeof e.rate === 'number' && Array.isArray(e.interval) && typeof e.threshold === 'number'
        ? [{ claim: `${r.id}: ${label}`, engine: short(r.engine), rate: e.rate, lo: e.interval[0], hi: e.interval[1], threshold: e.threshold, n: e.n ?? 0 }]
        : []
    }),
  )
}

export async function ratesChart(records: ClaimRecord[]): Promise<Chart | undefined> {
  const values = rates(records)
  if (values.length === 0) return undefined
  const y = { field: 'claim', type: 'nominal', title: null, sort: null, axis: { labelLimit: 420 } } as const
  const svg = await svgOf({
    ...base,
    width: 360,
    data: { values },
    encoding: { y, yOffset: { field: 'engine' }, color: { field: 'engine', title: 'engine' } },
    layer: [
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x: { field: 'lo', type: 'quantitative', scale: { domain: [0, 1] }, title: 'success rate (95% Wilson interval); black tick: the threshold stated in the reading' }, x2: { field: 'hi' } } },
      { mark: { type: 'point', filled: true, size: 30 }, encoding: { x: { field: 'rate', type: 'quantitative' }, tooltip: [{ field: 'claim' }, { field: 'engine' }, { field: 'rate' }, { field: 'n' }] } },
      { mark: { type: 'tick', color: 'black', thickness: 2 }, encoding: { x: { field: 'threshold', type: 'quantitative' }, color: { value: 'black' } } },
    ],
  } as TopLevelSpec)
  return { id: 'rates', title: 'Statistical claims: success rates against their thresholds', note: 'Confirmed when the interval lies above the threshold, refuted when below, inconclusive when it straddles it.', svg }
}

/** backprop.chain-rule's worst |Δ| ÷ tolerance per op and engine (≤ 1 passes). */
export async function gradientChart(records: ClaimRecord[]): Promise<Chart | undefined> {
  const values = records
    .filter((r) => r.id === 'backprop.chain-rule')
    .flatMap((r) => Object.entries((r.evidence['worstErrorOverToleranceByOp'] ?? {}) as Record<string, number>).map(([op, ratio]) => ({ op, engine: short(r.engine), ratio: Math.max(ratio, 1e-6) })))
  if (values.length === 0) return undefined
  const svg = await svgOf({
    ...base,
    data: { values },
    mark: 'rect',
    encoding: {
      x: { field: 'engine', type: 'nominal', title: null },
      y: { field: 'op', type: 'nominal', title: null },
      color: { field: 'ratio', type: 'quantitative', scale: { type: 'log', domain: [1e-6, 1], scheme: 'viridis', clamp: true }, title: '|Δ| ÷ tol' },
      tooltip: [{ field: 'op' }, { field: 'engine' }, { field: 'ratio', format: '.2e' }],
    },
  } as TopLevelSpec)
  return { id: 'gradients', title: 'Gradient error ÷ tolerance, per op and engine', note: 'The worst element of backprop.chain-rule’s cases; 1 is the tolerance (failing ops are listed in the claim’s record, not drawn).', svg }
}

/** Training curves kept by optimizer claims (evidence `curves`: { series: values every k steps }). */
export async function curvesChart(records: ClaimRecord[]): Promise<Chart | undefined> {
  const values = records.flatMap((r) =>
    Object.entries((r.evidence['curves'] ?? {}) as Record<string, number[]>).flatMap(([series, ys]) =>
      ys.map((y, i) => ({ claim: r.id, engine: short(r.engine), series, point: i, loss: Math.max(y, 1e-12) })),
    ),
  )
  if (values.length === 0) return undefined
  const svg = await svgOf({
    ...base,
    data: { values },
    facet: { row: { field: 'claim', title: null }, column: { field: 'engine', title: null } },
    spec: {
      width: 180,
      height: 120,
      mark: { type: 'line', interpolate: 'monotone' },
      encoding: {
        x: { field: 'point', type: 'quantitative', title: 'sample (every 10–20 steps)' },
        y: { field: 'loss', type: 'quantitative', scale: { type: 'log' }, title: 'f' },
        color: { field: 'series', title: 'rule' },
      },
    },
    resolve: { scale: { x: 'independent' } },
  } as TopLevelSpec)
  return { id: 'curves', title: 'Training curves of the optimizer claims, per rule', note: 'optim.adaptive-robust-to-lr at lr 0.1, optim.momentum-accelerates at lr 0.01 (f on a log scale).', svg }
}

/** depth.sigmoid-vanishing's median input-gradient norm at each depth. */
export async function depthChart(records: ClaimRecord[]): Promise<Chart | undefined> {
  const values = records.flatMap((r) =>
    Object.entries((r.evidence['medianGradientNormByDepth'] ?? {}) as Record<string, Record<string, number>>).flatMap(([act, byDepth]) =>
      Object.entries(byDepth).map(([depth, norm]) => ({ engine: short(r.engine), activation: act, depth: Number(depth), norm: Math.max(norm, 1e-30) })),
    ),
  )
  if (values.length === 0) return undefined
  const svg = await svgOf({
    ...base,
    data: { values },
    facet: { column: { field: 'engine', title: null } },
    spec: {
      width: 160,
      height: 140,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'depth', type: 'quantitative', scale: { type: 'log', base: 2 }, title: 'depth' },
        y: { field: 'norm', type: 'quantitative', scale: { type: 'log' }, title: '‖∂/∂x‖ (median)' },
        color: { field: 'activation' },
      },
    },
  } as TopLevelSpec)
  return { id: 'depth', title: 'Gradient norm by depth (depth.sigmoid-vanishing)', note: 'Sigmoid layers with Glorot weights against ReLU with He weights, 100 seeds each.', svg }
}

export interface BenchPoint {
  case: string
  engine: string
  ratio?: number
  over?: string
  value?: number
  unit?: string
}

/** Benchmark ratios of each engine over tfjs-cpu, per kernel (from bench.json). */
export async function benchRatioChart(points: BenchPoint[]): Promise<Chart | undefined> {
  const values = points.filter((p) => typeof p.ratio === 'number' && Number.isFinite(p.ratio) && p.ratio > 0)
  if (values.length === 0) return undefined
  const svg = await svgOf({
    ...base,
    data: { values },
    // points, not bars: a bar on a log scale has no baseline to start from
    mark: { type: 'point', filled: true, size: 60 },
    encoding: {
      y: { field: 'case', type: 'nominal', title: null, sort: null },
      yOffset: { field: 'engine' },
      x: { field: 'ratio', type: 'quantitative', scale: { type: 'log' }, title: 'throughput ÷ tfjs-cpu (same run)' },
      color: { field: 'engine' },
      tooltip: [{ field: 'case' }, { field: 'engine' }, { field: 'ratio', format: '.2f' }],
    },
  } as TopLevelSpec)
  return { id: 'bench', title: 'Kernel throughput relative to tfjs-cpu', note: 'Measured by `npm run bench` in one process, the engines interleaved.', svg }
}

/** Throughput per kernel and engine (GFLOP/s, M elem/s, examples/s), one panel per unit. */
export async function benchValueChart(points: BenchPoint[]): Promise<Chart | undefined> {
  const values = points.filter((p) => typeof p.value === 'number' && Number.isFinite(p.value))
  if (values.length === 0) return undefined
  const svg = await svgOf({
    ...base,
    data: { values },
    facet: { row: { field: 'unit', title: null } },
    spec: {
      width: 420,
      mark: { type: 'point', filled: true, size: 60 },
      encoding: {
        y: { field: 'case', type: 'nominal', title: null, sort: null },
        yOffset: { field: 'engine' },
        x: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: null },
        color: { field: 'engine' },
        tooltip: [{ field: 'case' }, { field: 'engine' }, { field: 'value', format: '.3g' }, { field: 'unit' }],
      },
    },
    resolve: { scale: { y: 'independent', x: 'independent' } },
  } as TopLevelSpec)
  return { id: 'bench-values', title: 'Throughput per kernel and engine', note: 'Median of the rounds; log scale.', svg }
}

/** Pass counts per engine over a history of reports. */
export async function historyChart(points: { run: string; engine: string; pass: number }[]): Promise<Chart | undefined> {
  if (points.length === 0) return undefined
  const svg = await svgOf({
    ...base,
    width: 560,
    height: 220,
    data: { values: points },
    mark: { type: 'line', point: true },
    encoding: { x: { field: 'run', type: 'ordinal', title: 'run', sort: null }, y: { field: 'pass', type: 'quantitative', title: 'claims passed' }, color: { field: 'engine' } },
  } as TopLevelSpec)
  return { id: 'history', title: 'Claims passed per engine, run by run', note: '', svg }
}
