// Which gates a bench report is held to: every gate on a measured case, except that the quick bench
// (CI) skips a gate marked quick: false, whose margin is within run-to-run noise (its why says so).
import { describe, expect, it } from 'vitest'
import { checkGates, loadGates, type BenchReport, type Gate } from './run.ts'

const report = (quick: boolean, ratio: number): BenchReport => ({
  schemaVersion: 1,
  generatedAt: '',
  quick,
  engines: ['a', 'b'],
  measurements: [
    { case: 'K', engine: 'a', unit: 'GFLOP/s', value: ratio, spread: [ratio, ratio] },
    { case: 'K', engine: 'b', unit: 'GFLOP/s', value: 1, spread: [1, 1] },
  ],
  ratios: [],
})

describe('bench gates', () => {
  const always: Gate = { case: 'K', engine: 'a', over: 'b', min: 1 }
  const fullOnly: Gate = { ...always, quick: false }
  const unmeasured: Gate = { ...always, case: 'not in this run' }

  it('checks every gate on a measured case in the full bench, and fails one below its ratio', () => {
    expect(checkGates(report(false, 1.5), [always, fullOnly, unmeasured]).map((g) => g.pass)).toEqual([true, true])
    expect(checkGates(report(false, 0.9), [fullOnly])).toEqual([{ ...fullOnly, ratio: 0.9, pass: false }])
  })

  it('skips the quick: false gates in the quick bench', () => {
    expect(checkGates(report(true, 0.9), [always, fullOnly])).toEqual([{ ...always, ratio: 0.9, pass: false }])
  })

  it('bench/gates.json: every quick: false gate says why', () => {
    for (const g of loadGates(new URL('..', import.meta.url).pathname).filter((g) => g.quick === false)) expect(g.why ?? '').toMatch(/quick|CI/)
  })
})
