// fast-check under the claim's seed. A failure is a Mismatch naming the shrunk counterexample, the
// seed and the path, so `… --seed S --path P` replays exactly that case.
import fc from 'fast-check'
import { Mismatch } from './assert.ts'
import { Unsupported, type ClaimContext } from './claim.ts'

const short = (v: unknown): string => {
  const s = fc.stringify(v)
  return s.length > 600 ? `${s.slice(0, 600)}…` : s
}

export async function property<T>(ctx: ClaimContext, arb: fc.Arbitrary<T>, check: (v: T) => Promise<void> | void, runs = ctx.numRuns): Promise<void> {
  const path = process.env['NNSPEC_PATH']
  const result = await fc.check(
    fc.asyncProperty(arb, async (v) => {
      await check(v)
    }),
    { seed: ctx.seed, numRuns: runs, ...(path ? { path } : {}) },
  )
  if (!result.failed) return
  const err = result.errorInstance
  if (err instanceof Unsupported) throw err // not a counterexample: the engine cannot run this claim
  const why = err instanceof Error ? err.message.replace(/; replay: .*$/, '') : String(err)
  const example = result.counterexample ? short(result.counterexample[0]) : '(none)'
  const where = `counterexample ${example} (fast-check seed ${result.seed}, path ${result.counterexamplePath}, after ${result.numShrinks} shrinks); replay: ${ctx.replay} --path ${result.counterexamplePath}`
  // only a failed assertion refutes the claim; an engine that throws (or cannot run it) is not a counterexample
  if (err instanceof Mismatch) throw new Mismatch(`${why} — ${where}`)
  if (err instanceof Error) {
    err.message = `${why} — ${where}`
    throw err
  }
  throw new Error(`${why} — ${where}`)
}
