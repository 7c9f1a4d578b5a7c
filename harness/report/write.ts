// Writing reports atomically: a crash never leaves half a file behind.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { renderJUnit } from './junit.ts'
import { renderMarkdown } from './markdown.ts'
import type { ConformanceReport } from './model.ts'

export function writeAtomic(path: string, text: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, path)
}

export const reportDir = (): string => process.env['NNSPEC_REPORT_DIR'] ?? 'reports'

/** conformance.json (source of truth), .md and .junit.xml rendered from it; returns the paths. */
export function writeReports(report: ConformanceReport, dir = reportDir()): string[] {
  mkdirSync(dir, { recursive: true })
  const files: [string, string][] = [
    ['conformance.json', `${JSON.stringify(report, null, 1)}\n`],
    ['conformance.md', renderMarkdown(report)],
    ['conformance.junit.xml', renderJUnit(report)],
  ]
  return files.map(([name, text]) => {
    writeAtomic(join(dir, name), text)
    return join(dir, name)
  })
}
