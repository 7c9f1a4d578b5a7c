// reports/conformance.md: a claim × engine matrix, the failures with their replay commands, and the evidence.
import type { ClaimRecord, Status } from '../claim.ts'
import type { ConformanceReport } from './model.ts'

const MARK: Record<Status, string> = { pass: '✓', fail: '✗', skip: '∅', error: '!', xfail: 'x', stale: 'S', info: 'i' }
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

function compact(v: unknown, max = 400): string {
  const s = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isInteger(x) ? Number(x.toPrecision(4)) : x))
  return s.length > max ? `${s.slice(0, max)}…` : s
}

export function renderMarkdown(r: ConformanceReport): string {
  const ids = [...new Set(r.records.map((x) => x.id))]
  const at = new Map(r.records.map((x) => [`${x.id}@${x.engine}`, x]))
  const lines = [
    '# nnspec conformance report',
    '',
    `Generated ${r.generatedAt} with seed ${r.seed} on Node ${r.node}. Source of truth: \`conformance.json\` (schema ${r.schemaVersion}).`,
    '',
    '| engine | pass | fail | error | skip | xfail | stale | info |',
    '|---|---|---|---|---|---|---|---|',
    ...r.engines.map((e) => {
      const t = r.totals[e] ?? {}
      return `| ${e} | ${t.pass ?? 0} | ${t.fail ?? 0} | ${t.error ?? 0} | ${t.skip ?? 0} | ${t.xfail ?? 0} | ${t.stale ?? 0} | ${t.info ?? 0} |`
    }),
    '',
    `Legend: ✓ pass (verdict = expected), ✗ fail, ! error, ∅ skip, x expected failure, S stale expectation, i informational.`,
    '',
    `| claim | expected | ${r.engines.join(' | ')} |`,
    `|---|---|${r.engines.map(() => '---').join('|')}|`,
    ...ids.map((id) => {
      const first = r.records.find((x) => x.id === id)!
      const cells = r.engines.map((e) => {
        const x = at.get(`${id}@${e}`)
        return x ? `${MARK[x.status]} ${x.verdict ?? ''}`.trim() : ''
      })
      return `| \`${id}\` | ${first.expected} | ${cells.join(' | ')} |`
    }),
  ]
  const bad = r.records.filter((x) => x.message && x.status !== 'pass')
  if (bad.length > 0) lines.push('', '## Failures', '', ...bad.map((x) => `- **${x.id} @ ${x.engine}** (${x.status}): ${cell(x.message!)}`))
  const skipped = r.records.filter((x) => x.status === 'skip')
  if (skipped.length > 0) lines.push('', '## Skips', '', ...skipped.map((x) => `- ${x.id} @ ${x.engine}: ${cell(x.reason ?? '')}`))
  lines.push('', '## Claims and evidence', '')
  for (const id of ids) {
    const rs = r.records.filter((x) => x.id === id)
    const first = rs[0]!
    lines.push(`### \`${id}\``, '', `> ${first.quote} (source ${first.source})`, '', `Reading: ${first.reading}`, '')
    for (const x of rs) if (Object.keys(x.evidence).length > 0) lines.push(`- ${x.engine}: ${x.verdict ?? x.status}, ${x.durationMs} ms — ${cell(compact(x.evidence))}`)
    lines.push('')
  }
  return lines.join('\n')
}

export const recordLine = (x: ClaimRecord): string => `${MARK[x.status]} ${x.id} @ ${x.engine}: ${x.verdict ?? x.status}`
