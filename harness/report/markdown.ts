// reports/conformance.md: a summary short enough for a pull-request comment (≤ 64 KB whatever the
// number of engines): totals, regressions against a baseline, failures with their replay commands.
// Everything else (the matrix, the evidence, the plots) is in conformance.html.
import type { ClaimRecord, Status } from '../claim.ts'
import { opCoverage, regressions, timeTable, type ConformanceReport } from './model.ts'

const MARK: Record<Status, string> = { pass: '✓', fail: '✗', skip: '∅', error: '!', xfail: 'x', stale: 'S', info: 'i' }
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
const short = (e: string) => e.replace(/^.*\//, '')
export const LIMIT = 64_000

export function renderMarkdown(r: ConformanceReport, baseline?: ConformanceReport): string {
  const lines = [
    '# nnspec conformance report',
    '',
    `Seed ${r.seed} · nnspec ${r.nnspec ?? ''} · Node ${r.node} · ${r.generatedAt}${r.durationMs ? ` · ${(r.durationMs / 1000).toFixed(0)} s` : ''}. The matrix, the evidence and the plots: \`conformance.html\`; the source of truth: \`conformance.json\`.`,
    '',
    '| engine | pass | fail | error | skip | xfail | stale | info | ops covered |',
    '|---|---|---|---|---|---|---|---|---|',
    ...r.engines.map((e) => {
      const t = r.totals[e] ?? {}
      return `| ${short(e)} | ${t.pass ?? 0} | ${t.fail ?? 0} | ${t.error ?? 0} | ${t.skip ?? 0} | ${t.xfail ?? 0} | ${t.stale ?? 0} | ${t.info ?? 0} | ${opCoverage(r, e)} |`
    }),
  ]
  if (baseline) {
    const reg = regressions(baseline, r)
    lines.push('', `## Regressions against the baseline: ${reg.length}`, '', ...reg.map((x) => `- **${x.id} @ ${short(x.engine)}** (${x.status})`))
  }
  lines.push(...whereTimeGoes(r))
  const bad = r.records.filter((x) => ['fail', 'error', 'stale'].includes(x.status))
  lines.push('', `## Failures: ${bad.length}`, '')
  let size = lines.join('\n').length
  for (const [k, x] of bad.entries()) {
    const line = `- **${x.id} @ ${short(x.engine)}** (${x.status}): ${cell((x.message ?? '').slice(0, 600))}${(x.message ?? '').length > 600 ? '…' : ''}`
    if (size + line.length > LIMIT - 200) {
      lines.push(`- … and ${bad.length - k} more (see conformance.html)`)
      break
    }
    lines.push(line)
    size += line.length + 1
  }
  const xfail = r.records.filter((x) => x.status === 'xfail').length
  const skip = r.records.filter((x) => x.status === 'skip').length
  lines.push('', `${xfail} expected failures and ${skip} skips are listed with their reasons in conformance.html.`, '')
  return lines.join('\n')
}

/** The claim × engine duration table (model.ts's timeTable) as Markdown. */
export function whereTimeGoes(r: ConformanceReport): string[] {
  const t = timeTable(r)
  if (t.totalMs === 0) return []
  const s = (ms: number | undefined) => (ms ? (ms / 1000).toFixed(1) : '–')
  return [
    '',
    `## Where the time goes: ${s(t.totalMs)} s of worker time`,
    '',
    `| claim | ${r.engines.map(short).join(' | ')} | total s |`,
    `|---|${r.engines.map(() => '---').join('|')}|---|`,
    ...t.rows.map((row) => `| ${cell(row.id)} | ${r.engines.map((e) => s(row.byEngine[e])).join(' | ')} | ${s(row.totalMs)} |`),
    `| all ${t.count} rows | ${r.engines.map((e) => s(t.perEngine[e])).join(' | ')} | ${s(t.totalMs)} |`,
  ]
}

export const recordLine = (x: ClaimRecord): string => `${MARK[x.status]} ${x.id} @ ${x.engine}: ${x.verdict ?? x.status}`
