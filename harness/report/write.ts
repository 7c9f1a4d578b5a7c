// Writing reports atomically: a crash never leaves half a file behind.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BenchPoint } from './html/charts.ts'
import { renderHtml } from './html/page.ts'
import { renderJUnit } from './junit.ts'
import { renderMarkdown } from './markdown.ts'
import type { ConformanceReport } from './model.ts'

export function writeAtomic(path: string, text: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, path)
}

export const reportDir = (): string => process.env['NNSPEC_REPORT_DIR'] ?? 'reports'

/** bench.json of the same directory, as the points the report plots (ratios to tfjs-cpu). */
export function benchPoints(dir: string): BenchPoint[] | undefined {
  const file = join(dir, 'bench.json')
  if (!existsSync(file)) return undefined
  try {
    const b = JSON.parse(readFileSync(file, 'utf8')) as { ratios: { case: string; engine: string; vsTfjsCpu?: number }[] }
    return b.ratios.map((r) => ({ case: r.case, engine: r.engine, ...(r.vsTfjsCpu !== undefined ? { ratio: r.vsTfjsCpu } : {}), over: 'tfjs-cpu' }))
  } catch {
    return undefined
  }
}

/** conformance.json (source of truth), .md (a summary), .junit.xml and .html rendered from it; returns the paths. */
export async function writeReports(report: ConformanceReport, dir = reportDir(), o: { baseline?: ConformanceReport } = {}): Promise<string[]> {
  mkdirSync(dir, { recursive: true })
  const bench = benchPoints(dir)
  const files: [string, string][] = [
    ['conformance.json', `${JSON.stringify(report, null, 1)}\n`],
    ['conformance.md', renderMarkdown(report, o.baseline)],
    ['conformance.junit.xml', renderJUnit(report)],
    ['conformance.html', await renderHtml(report, { ...(o.baseline ? { baseline: o.baseline } : {}), ...(bench ? { bench } : {}) })],
  ]
  return files.map(([name, text]) => {
    writeAtomic(join(dir, name), text)
    return join(dir, name)
  })
}
