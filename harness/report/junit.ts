// reports/conformance.junit.xml for CI dashboards: one testsuite per engine, one testcase per claim.
import { isFailure, type ConformanceReport } from './model.ts'

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')

export function renderJUnit(r: ConformanceReport): string {
  const suites = r.engines.map((engine) => {
    const rs = r.records.filter((x) => x.engine === engine)
    const cases = rs.map((x) => {
      const body = isFailure(x.status)
        ? `<failure message="${esc(x.status)}">${esc(x.message ?? '')}</failure>`
        : x.status === 'skip' || x.status === 'info'
          ? `<skipped message="${esc(x.reason ?? x.status)}"/>`
          : ''
      return `    <testcase classname="${esc(engine)}" name="${esc(x.id)}" time="${(x.durationMs / 1000).toFixed(3)}">${body}</testcase>`
    })
    const failures = rs.filter((x) => isFailure(x.status)).length
    const skipped = rs.filter((x) => x.status === 'skip' || x.status === 'info').length
    return `  <testsuite name="${esc(engine)}" tests="${rs.length}" failures="${failures}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`
  })
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="nnspec">\n${suites.join('\n')}\n</testsuites>\n`
}
