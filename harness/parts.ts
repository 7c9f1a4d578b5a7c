// A claim made of parts (every op, every update rule, every initializer): one failing part refutes
// the claim but does not hide the others; the report lists each failing part.
import { Mismatch } from './assert.ts'
import { Unsupported, type ClaimContext, type ClaimOutcome, type Verdict } from './claim.ts'

export class Parts {
  private failures: { label: string; message: string }[] = []

  /** `engineErrorsFail`: an engine throwing on a valid input also fails the part (else it is an error of the claim). */
  constructor(
    private readonly ctx: ClaimContext,
    private readonly opts: { engineErrorsFail?: boolean } = {},
  ) {}

  async check(label: string, fn: () => Promise<void> | void): Promise<void> {
    this.ctx.parts.checked.add(label)
    try {
      await fn()
    } catch (e) {
      if (e instanceof Unsupported) throw e
      if (!(e instanceof Mismatch) && !this.opts.engineErrorsFail) throw e
      this.ctx.parts.failed.add(label)
      this.failures.push({ label, message: (e as Error).message.replace(/; replay: .*$/, '') })
    }
  }

  get failed(): string[] {
    return this.failures.map((f) => f.label)
  }

  verdict(): Verdict | ClaimOutcome {
    if (this.failures.length === 0) return 'confirmed'
    const text = this.failures.map((f) => (f.message.startsWith(f.label) ? f.message : `${f.label}: ${f.message}`)).join(' | ')
    return { verdict: 'refuted', counterexample: `${text}; replay: ${this.ctx.replay}` }
  }
}
