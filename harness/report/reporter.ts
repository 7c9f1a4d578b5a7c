// A vitest reporter that gathers each claim test's record (task meta) into the conformance report.
import type { Reporter, TestModule } from 'vitest/node'
import type { ClaimRecord } from '../claim.ts'
import { settings } from '../claim.ts'
import { buildReport } from './model.ts'
import { writeReports } from './write.ts'

export default class ConformanceReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const records: ClaimRecord[] = []
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const rec = t.meta().nnspec
        if (rec) records.push(rec)
      }
    }
    if (records.length === 0) return
    writeReports(buildReport(records, settings().seed))
  }
}
