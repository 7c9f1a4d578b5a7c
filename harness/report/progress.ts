// One line per claim as it finishes, with a running count: the progress of a long run.
import type { Reporter, TestCase, TestSpecification } from 'vitest/node'
import { recordLine } from './markdown.ts'

export default class ProgressReporter implements Reporter {
  private done = 0
  private files = 0

  onTestRunStart(specs: ReadonlyArray<TestSpecification>): void {
    this.files = specs.length
    console.log(`running ${this.files} spec files…`)
  }

  onTestCaseResult(t: TestCase): void {
    const rec = t.meta().nnspec
    this.done++
    if (!rec) return
    const why = rec.status === 'skip' ? ` (${rec.reason})` : ''
    console.log(`[${String(this.done).padStart(3)}] ${recordLine(rec)}${why} ${rec.durationMs} ms`)
  }
}
