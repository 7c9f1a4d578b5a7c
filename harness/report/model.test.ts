import { expect, test } from 'vitest'
import type { ClaimRecord } from '../claim.ts'
import { renderJUnit } from './junit.ts'
import { LIMIT, renderMarkdown } from './markdown.ts'
import { buildReport, regressions, SCHEMA_VERSION } from './model.ts'

const rec = (id: string, engine: string, status: ClaimRecord['status'], message?: string): ClaimRecord => ({
  id, engine, status, kind: ['exact'], expected: 'confirmed', verdict: status === 'pass' ? 'confirmed' : 'refuted', evidence: { n: 1 }, seed: 1, replay: 'r', durationMs: 3, source: '004', quote: 'q <&>', reading: 'r',
  ...(message ? { message } : {}),
})

test('a baseline: new failures are regressions, old ones are not', () => {
  const base = buildReport([rec('a', 'e', 'pass'), rec('b', 'e', 'fail', 'old')], 1)
  const now = buildReport([rec('a', 'e', 'fail', 'new'), rec('b', 'e', 'fail', 'old')], 1)
  expect(regressions(base, now).map((r) => r.id)).toEqual(['a'])
})

test('renderers are pure functions of the JSON: totals, the failures, escaped XML', () => {
  const r = buildReport([rec('a', 'e', 'pass'), rec('b', 'e', 'fail', 'x < y & "z"')], 1)
  expect(r.schemaVersion).toBe(SCHEMA_VERSION)
  expect(r.totals['e']).toEqual({ pass: 1, fail: 1 })
  expect(renderMarkdown(r)).toMatch(/\| e \| 1 \| 1 \| 0 \|/)
  expect(renderMarkdown(r)).toMatch(/- \*\*b @ e\*\* \(fail\): x < y & "z"/)
  expect(renderJUnit(r)).toContain('<failure message="fail">x &lt; y &amp; &quot;z&quot;</failure>')
})

test('the Markdown summary stays under 64 KB whatever the number of failures', () => {
  const many = Array.from({ length: 3000 }, (_, i) => rec(`c${i}`, `engine-${i % 7}`, 'fail', 'a long message '.repeat(60)))
  const md = renderMarkdown(buildReport(many, 1))
  expect(md.length).toBeLessThan(LIMIT)
  expect(md).toMatch(/… and \d+ more \(see conformance\.html\)/)
})
