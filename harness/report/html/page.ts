// reports/conformance.html: one self-contained page made from conformance.json (and bench.json when
// the run directory has one): the summary, regressions against a baseline, the claim × engine matrix
// with filters and search (a cell opens the claim), the op × engine scoreboard, and the plots.
import { readFileSync } from 'node:fs'
import type { ClaimRecord, Status } from '../../claim.ts'
import type { ConformanceReport } from '../model.ts'
import { opCoverage, regressions, timeTable } from '../model.ts'
import { benchRatioChart, curvesChart, depthChart, gradientChart, ratesChart, type BenchPoint, type Chart } from './charts.ts'

const asset = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8')
const esc = (s: unknown) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const short = (engine: string) => engine.replace(/^.*\//, '')
const STATUSES: Status[] = ['pass', 'fail', 'error', 'stale', 'xfail', 'skip', 'info']
const MARK: Record<Status, string> = { pass: '✓', fail: '✗', error: '!', skip: '∅', xfail: 'x', stale: 'S', info: 'i' }

/** CLAIMS.md's sections, by id prefix. */
const SECTIONS: [string, string[]][] = [
  ['1. Neurons and layers', ['neuron', 'dense', 'layers']],
  ['2. Capacity', ['capacity']],
  ['3. Activation functions', ['activation']],
  ['4. Backpropagation', ['backprop']],
  ['5. Losses', ['loss']],
  ['6. Optimization', ['optim']],
  ['7. Initialization', ['init']],
  ['8. Regularization', ['regularization']],
  ['9. Convolutional networks', ['cnn']],
  ['10. Recurrent networks', ['rnn']],
  ['11. Attention', ['attention']],
  ['12. Depth', ['depth']],
  ['13. Scale', ['scale']],
  ['14. Autoencoders and GANs', ['autoencoder', 'gan']],
  ['Per-op checks (ONNX)', ['ops']],
  ['ONNX backend node tests', ['onnx']],
]
export const sectionOf = (id: string): string => SECTIONS.find(([, ps]) => ps.includes(id.split('.')[0]!))?.[0] ?? '15. Mentioned in passing'

function scoreboard(report: ConformanceReport): string {
  const at = (id: string, e: string) => report.records.find((r) => r.id === id && r.engine === e)
  const ops = [...new Set(report.records.filter((r) => r.id.startsWith('ops.') && !['ops.differential', 'ops.conventions'].includes(r.id)).map((r) => r.id.slice(4)))].sort()
  if (ops.length === 0) return ''
  const CONVENTION: Record<string, string[]> = { Relu: ["Relu'(0)"], Abs: ["Abs'(0)"], LeakyRelu: ["LeakyRelu'(0) (α 0.1)"], Max: ['Max tie'], Clip: ['Clip bounds'], ReduceMax: ['ReduceMax tie'] }
  const cell = (status: Status | undefined, title: string) => (status ? `<span class="s-${status}" title="${esc(title)}">${MARK[status]}</span>` : '<span class="s-skip" title="not checked">·</span>')
  const grad = (op: string, e: string): Status | undefined => {
    const r = at('backprop.chain-rule', e)
    if (!r || r.status === 'skip' || r.status === 'error') return r?.status
    if (((r.evidence['failingOps'] ?? []) as string[]).includes(op)) return r.status === 'xfail' ? 'xfail' : 'fail'
    if ((r.evidence['opsTheEngineDeclines'] as Record<string, string> | undefined)?.[op]) return 'skip'
    return 'pass'
  }
  const conv = (op: string, e: string): Status | undefined => {
    const r = at('ops.conventions', e)
    if (!CONVENTION[op] || !r) return undefined
    if (r.status === 'skip' || r.status === 'error') return r.status
    if (CONVENTION[op]!.some((p) => (r.evidence['notAsked'] as Record<string, string> | undefined)?.[p])) return 'skip'
    return CONVENTION[op]!.some((p) => (r.counterexample ?? '').includes(p)) ? (r.status === 'xfail' ? 'xfail' : 'fail') : 'pass'
  }
  const diff = (op: string, e: string): Status | undefined => {
    const r = at('ops.differential', e)
    const drawn = String(r?.evidence['opsDrawnFrom'] ?? '').split(', ')
    return r && drawn.includes(op) ? r.status : undefined
  }
  const foot = `<tr><td class="id">ops covered</td>${report.engines.map((e) => `<td colspan="4" data-engine="${esc(e)}" class="coverage">${opCoverage(report, e)}</td>`).join('')}</tr>`
  const head = `<tr><th rowspan="2">op</th>${report.engines.map((e) => `<th colspan="4" data-engine="${esc(e)}">${esc(short(e))}</th>`).join('')}</tr><tr>${report.engines.map((e) => ['forward', 'gradient', 'differential', 'convention'].map((k) => `<th data-engine="${esc(e)}" title="${k}">${k[0]!.toUpperCase()}</th>`).join('')).join('')}</tr>`
  const rows = ops.map((op) => `<tr><td class="id">${esc(op)}</td>${report.engines.map((e) => [cell(at(`ops.${op}`, e)?.status, `ops.${op}`), cell(grad(op, e), 'backprop.chain-rule'), cell(diff(op, e), 'ops.differential'), cell(conv(op, e), 'ops.conventions')].map((c) => `<td data-engine="${esc(e)}">${c}</td>`).join('')).join('')}</tr>`)
  return `<h2 id="ops">Op × engine</h2><p class="meta">F: forward agreement (ops.&lt;Op&gt;), G: gradient (backprop.chain-rule), D: drawn in random-graph differential testing, C: subgradient convention at the kink (ops.conventions). ✓ pass, ✗ fail, x expected failure, ∅ skipped or declined, · not checked.</p><table class="ops"><thead>${head}</thead><tbody>${rows.join('')}</tbody><tfoot>${foot}</tfoot></table>`
}

function matrix(report: ConformanceReport, index: Map<ClaimRecord, number>): string {
  const ids = [...new Set(report.records.map((r) => r.id))]
  const at = new Map(report.records.map((r) => [`${r.id}@${r.engine}`, r]))
  const bySection = new Map<string, string[]>()
  for (const id of ids) bySection.set(sectionOf(id), [...(bySection.get(sectionOf(id)) ?? []), id])
  const sections = [...bySection.keys()].sort((a, b) => (parseInt(a) || 99) - (parseInt(b) || 99))
  const body = sections.map((sec) => {
    const rows = bySection.get(sec)!.map((id) => {
      const first = report.records.find((r) => r.id === id)!
      const search = [id, first.quote, first.reading, ...(first.ops ?? [])].join(' ').toLowerCase()
      const cells = report.engines.map((e) => {
        const r = at.get(`${id}@${e}`)
        if (!r) return `<td data-engine="${esc(e)}" data-status="none"></td>`
        return `<td data-engine="${esc(e)}" data-status="${r.status}" class="s-bg-${r.status}"><button class="cell s-${r.status}" data-k="${index.get(r)}" title="${esc(r.status)}">${MARK[r.status]} ${esc(r.verdict ?? r.status)}</button></td>`
      })
      return `<tr class="claim" data-search="${esc(search)}"><td class="id">${esc(id)}</td><td>${esc(first.expected)}</td>${cells.join('')}</tr>`
    })
    return `<tbody class="section" data-section="${esc(sec)}"><tr class="section-head"><th colspan="${report.engines.length + 2}">${esc(sec)}</th></tr>${rows.join('')}</tbody>`
  })
  const filters = `<div class="filters" role="search">
    <span>status: ${STATUSES.map((s) => `<label><input type="checkbox" name="status" value="${s}" checked> <span class="s-${s}">${MARK[s]} ${s}</span></label>`).join(' ')}</span>
    <label>engine <select id="engine"><option value="">all</option>${report.engines.map((e) => `<option value="${esc(e)}">${esc(short(e))}</option>`).join('')}</select></label>
    <label>section <select id="section"><option value="">all</option>${sections.map((s) => `<option>${esc(s)}</option>`).join('')}</select></label>
    <label>search <input id="search" type="search" placeholder="id, op or quote"></label>
    <span><span id="shown"></span> claims shown</span></div>`
  const head = `<tr><th>claim</th><th>expected</th>${report.engines.map((e) => `<th data-engine="${esc(e)}">${esc(short(e))}</th>`).join('')}</tr>`
  return `<h2 id="matrix">Claim × engine</h2>${filters}<table id="claims"><thead>${head}</thead>${body.join('')}</table>`
}

function banner(report: ConformanceReport, baseline?: ConformanceReport): string {
  if (!baseline) return ''
  const reg = regressions(baseline, report)
  const before = new Map(baseline.records.map((r) => [`${r.id}@${r.engine}`, r.status]))
  const fixed = report.records.filter((r) => r.status === 'pass' && ['fail', 'error', 'stale'].includes(before.get(`${r.id}@${r.engine}`) ?? ''))
  const list = (rs: ClaimRecord[]) => `<ul>${rs.map((r) => `<li><b>${esc(r.id)}</b> @ ${esc(short(r.engine))}: ${esc(before.get(`${r.id}@${r.engine}`) ?? 'new')} → <span class="s-${r.status}">${esc(r.status)}</span>${r.message ? ` — ${esc(r.message.slice(0, 300))}` : ''}</li>`).join('')}</ul>`
  return `<section id="regressions" class="banner ${reg.length ? 'bad' : 'good'}"><h2 style="margin-top:0">Against the baseline</h2><p>${reg.length} regressions, ${fixed.length} fixes.</p>${reg.length ? `<h3>Regressions</h3>${list(reg)}` : ''}${fixed.length ? `<h3>Fixes</h3>${list(fixed)}` : ''}</section>`
}

/** Where the time goes: the claim × engine duration table (seconds of worker time). */
function timing(report: ConformanceReport): string {
  const t = timeTable(report)
  if (t.totalMs === 0) return ''
  const s = (ms: number | undefined) => (ms ? (ms / 1000).toFixed(1) : '–')
  const head = `<tr><th>claim</th>${report.engines.map((e) => `<th>${esc(short(e))}</th>`).join('')}<th>total s</th></tr>`
  const rows = t.rows.map((row) => `<tr><td>${esc(row.id)}</td>${report.engines.map((e) => `<td>${s(row.byEngine[e])}</td>`).join('')}<td>${s(row.totalMs)}</td></tr>`)
  const foot = `<tr><th>all ${t.count} rows</th>${report.engines.map((e) => `<th>${s(t.perEngine[e])}</th>`).join('')}<th>${s(t.totalMs)}</th></tr>`
  return `<h2 id="timing">Where the time goes</h2><p class="meta">Seconds of worker time per claim and engine, the costliest first (${s(t.totalMs)} s in all).</p><table class="timing"><thead>${head}</thead><tbody>${rows.join('')}</tbody><tfoot>${foot}</tfoot></table>`
}

export async function renderHtml(report: ConformanceReport, o: { baseline?: ConformanceReport; bench?: BenchPoint[] } = {}): Promise<string> {
  const index = new Map(report.records.map((r, k) => [r, k]))
  const summary = `<table><thead><tr><th>engine</th><th>version</th>${STATUSES.map((s) => `<th class="s-${s}">${MARK[s]} ${s}</th>`).join('')}</tr></thead><tbody>${report.engines.map((e) => `<tr><td>${esc(short(e))}</td><td>${esc(report.engineVersions?.[e] ?? '')}</td>${STATUSES.map((s) => `<td class="s-${s}">${report.totals[e]?.[s] ?? 0}</td>`).join('')}</tr>`).join('')}</tbody></table>`
  const charts = (await Promise.all([ratesChart(report.records), gradientChart(report.records), curvesChart(report.records), depthChart(report.records), o.bench ? benchRatioChart(o.bench) : undefined])).filter((c): c is Chart => c !== undefined)
  const plots = charts.map((c) => `<figure id="plot-${c.id}"><figcaption>${esc(c.title)}</figcaption><p>${esc(c.note)}</p><div class="plot">${c.svg}</div></figure>`).join('')
  const data = JSON.stringify({ records: report.records }).replace(/</g, '\\u003c')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>nnspec conformance — ${esc(report.engines.map(short).join(', '))}</title><style>${asset('style.css')}</style></head>
<body>
<header><h1>nnspec conformance</h1>
<p class="meta">seed ${report.seed} · nnspec ${esc(report.nnspec ?? '')} · Node ${esc(report.node)} · ${esc(report.generatedAt)}${report.durationMs ? ` · ${(report.durationMs / 1000).toFixed(0)} s` : ''}${report.shard ? ` · shard ${esc(report.shard)}` : ''} · <a href="conformance.json">conformance.json</a> (the source of truth)</p></header>
${banner(report, o.baseline)}
<h2 id="summary">Summary</h2>${summary}
${matrix(report, index)}
${scoreboard(report)}
${timing(report)}
<h2 id="plots">Plots</h2>${plots || '<p>No plottable evidence in this run.</p>'}
<dialog id="detail" aria-labelledby="d-title"><h3 id="d-title"></h3><p id="d-status"></p>
<h4>Quote</h4><p id="d-quote"></p><h4>Reading</h4><p id="d-reading"></p><h4>Message</h4><pre id="d-message"></pre>
<h4>Counterexample</h4><pre id="d-counterexample"></pre><h4>Evidence</h4><pre id="d-evidence"></pre>
<h4>Replay</h4><div class="replay"><input id="d-replay" readonly aria-label="replay command"><button id="d-copy" type="button">copy</button></div>
<p><button id="d-close" type="button">close</button></p></dialog>
<script type="application/json" id="data">${data}</script>
<script>${asset('client.js')}</script>
</body></html>
`
}
