// The statistical protocol: N seeded trials, a 95% Wilson interval on the success rate, and a
// threshold stated before running: confirmed if the interval lies above it, refuted if below.
import type { ClaimContext, Verdict } from './claim.ts'
import type { Rng } from '../contract/rng.ts'
import { concurrently } from './batching.ts'

/** Wilson score interval for k successes in n trials. */
export function wilson(successes: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1]
  const p = successes / n
  const z2 = z * z
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n)
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n)
  return [Math.max(0, centre - half), Math.min(1, centre + half)]
}

export interface Tally {
  successes: number
  n: number
}

/**
 * Run fn on n independent streams forked from the claim's rng. The trials run concurrently so that
 * their gradient calls are answered together (harness/batching.ts); each trial's numbers depend on
 * its own stream only, so the tally is the same as one by one.
 */
export async function trials(ctx: ClaimContext, n: number, fn: (rng: Rng, i: number) => Promise<boolean> | boolean): Promise<Tally> {
  const outcomes = await concurrently(n, async (i) => fn(ctx.rng.fork(`trial-${i}`), i))
  return { successes: outcomes.filter(Boolean).length, n }
}

const round = (v: number) => Number(v.toFixed(4))

/** Verdict of a rate against its threshold; the numbers go to ctx.evidence[label]. */
export function judgeRate(ctx: ClaimContext, label: string, t: Tally, threshold: number): Verdict {
  const [lo, hi] = wilson(t.successes, t.n)
  const verdict: Verdict = lo > threshold ? 'confirmed' : hi < threshold ? 'refuted' : 'inconclusive'
  ctx.evidence[label] = { successes: t.successes, n: t.n, rate: round(t.successes / t.n), interval: [round(lo), round(hi)], threshold, verdict }
  return verdict
}

/** Combine verdicts of the parts of one claim: any refuted part refutes, any open part leaves it open. */
export const allOf = (...vs: Verdict[]): Verdict => (vs.includes('refuted') ? 'refuted' : vs.includes('inconclusive') ? 'inconclusive' : 'confirmed')
