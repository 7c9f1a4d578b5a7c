// The two other pages: bench.html (from bench.json) and history.html (from a folder of saved
// conformance.json files, test262.fyi-style: pass counts over time and the claims that changed).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ConformanceReport } from '../model.ts'
import { benchRatioChart, benchValueChart, historyChart, type BenchPoint } from './charts.ts'

const asset = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8')
const esc = (s: unknown) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const page = (title: string, body: string) =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${asset('style.css')}</style></head><body><h1>${esc(title)}</h1>${body}</body></html>\n`
const figure = (c: { id: string; title: string; note: string; svg: string } | undefined) => (c ? `<figure id="plot-${c.id}"><figcaption>${esc(c.title)}</figcaption><p>${esc(c.note)}</p><div class="plot">${c.svg}</div></figure>` : '')

export interface BenchJson {
  generatedAt: string
  quick: boolean
  measurements: { case: string; engine: string; unit: string; value: number; spread: [number, number]; skipped?: string }[]
  ratios: { case: string; engine: string; vsTfjsCpu?: number; vsOnnxRuntime?: number }[]
  gates?: { case: string; engine: string; over: string; min: number; ratio?: number; pass: boolean }[]
}

export async function renderBenchHtml(b: BenchJson): Promise<string> {
  const values: BenchPoint[] = b.measurements.filter((m) => !m.skipped).map((m) => ({ case: m.case, engine: m.engine, value: m.value, unit: m.unit }))
  const ratios: BenchPoint[] = b.ratios.flatMap((r) => (r.vsTfjsCpu !== undefined ? [{ case: r.case, engine: r.engine, ratio: r.vsTfjsCpu }] : []))
  const gates = b.gates?.length
    ? `<h2>Gates</h2><table><thead><tr><th>case</th><th>engine</th><th>over</th><th>at least</th><th>measured</th><th>result</th></tr></thead><tbody>${b.gates.map((g) => `<tr><td>${esc(g.case)}</td><td>${esc(g.engine)}</td><td>${esc(g.over)}</td><td>${g.min}×</td><td>${g.ratio ?? '—'}×</td><td class="${g.pass ? 's-pass' : 's-fail'}">${g.pass ? '✓ pass' : '✗ FAIL'}</td></tr>`).join('')}</tbody></table>`
    : ''
  const table = `<h2>Measurements</h2><table><thead><tr><th>case</th><th>engine</th><th>median</th><th>spread</th><th>unit</th><th>÷ tfjs-cpu</th></tr></thead><tbody>${b.measurements.map((m) => `<tr><td>${esc(m.case)}</td><td>${esc(m.engine)}</td><td>${m.skipped ? `skip: ${esc(m.skipped)}` : m.value.toPrecision(4)}</td><td>${m.skipped ? '' : `${m.spread[0].toPrecision(3)}–${m.spread[1].toPrecision(3)}`}</td><td>${esc(m.unit)}</td><td>${b.ratios.find((r) => r.case === m.case && r.engine === m.engine)?.vsTfjsCpu ?? ''}</td></tr>`).join('')}</tbody></table>`
  return page('nnspec benchmarks', `<p class="meta">${esc(b.generatedAt)}${b.quick ? ' · quick run' : ''} · every engine measured in one process, interleaved in rounds</p>${gates}${figure(await benchValueChart(values))}${figure(await benchRatioChart(ratios))}${table}`)
}

/** Every conformance report in `dir` (any *.json with records), oldest first. */
export function readHistory(dir: string): { file: string; report: ConformanceReport }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      try {
        const report = JSON.parse(readFileSync(join(dir, f), 'utf8')) as ConformanceReport
        return Array.isArray(report.records) && report.generatedAt ? [{ file: f, report }] : []
      } catch {
        return []
      }
    })
    .sort((a, b) => a.report.generatedAt.localeCompare(b.report.generatedAt))
}

export async function renderHistoryHtml(runs: { file: string; report: ConformanceReport }[]): Promise<string> {
  const points = runs.flatMap(({ file, report }) => report.engines.map((e) => ({ run: `${report.generatedAt.slice(0, 16)} (${file})`, engine: e.replace(/^.*\//, ''), pass: report.totals[e]?.pass ?? 0 })))
  const changes: string[] = []
  for (let i = 1; i < runs.length; i++) {
    const before = new Map(runs[i - 1]!.report.records.map((r) => [`${r.id}@${r.engine}`, r.status]))
    for (const r of runs[i]!.report.records) {
      const was = before.get(`${r.id}@${r.engine}`)
      if (was !== undefined && was !== r.status) changes.push(`<tr><td>${esc(runs[i]!.file)}</td><td class="id">${esc(r.id)}</td><td>${esc(r.engine.replace(/^.*\//, ''))}</td><td class="s-${was}">${esc(was)}</td><td class="s-${r.status}">${esc(r.status)}</td></tr>`)
    }
  }
  const table = changes.length ? `<table><thead><tr><th>run</th><th>claim</th><th>engine</th><th>before</th><th>now</th></tr></thead><tbody>${changes.join('')}</tbody></table>` : '<p>No claim changed status between these runs.</p>'
  return page('nnspec conformance history', `<p class="meta">${runs.length} runs, oldest first</p>${figure(await historyChart(points))}<h2>Claims whose status changed</h2>${table}`)
}
