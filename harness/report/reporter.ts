// A vitest reporter that gathers each claim test's record (task meta) into the conformance report.
// Every claim test is declared with a placeholder record (status `error`, see claim.ts), replaced
// when the claim reports: a test that ended without reporting (a vitest timeout, a throw before the
// record) is an error in the report, with vitest's message, never a missing row.
import type { Reporter, TestModule } from 'vitest/node'
import type { ClaimRecord } from '../claim.ts'
import { NO_RECORD, settings } from '../claim.ts'
import { buildReport } from './model.ts'
import { writeReports } from './write.ts'

export default class ConformanceReporter implements Reporter {
  async onTestRunEnd(modules: ReadonlyArray<TestModule>): Promise<void> {
    const records: ClaimRecord[] = []
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const rec = t.meta().nnspec
        if (!rec) continue
        const errors = t.result().errors?.map((e) => e.message).join('; ')
        records.push(rec.message?.includes(NO_RECORD) ? { ...rec, message: `${rec.message} (${errors || t.result().state})` } : rec)
      }
    }
    if (records.length === 0) return
    await writeReports(buildReport(records, settings().seed))
  }
}
