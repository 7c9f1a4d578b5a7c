// Each rule against a hand-unrolled first steps; the claim `optim.update-rules` checks 100 steps
// against an independent float64 implementation on every engine.
import { describe, expect, test } from 'vitest'
import type { TensorData } from '../../contract/types.ts'
import { clipByGlobalNorm, clipByValue, globalNorm } from './clip.ts'
import { createOptimizer } from './index.ts'

const t = (v: number[]): TensorData => ({ dtype: 'float64', shape: [v.length], data: Float64Array.from(v) })
const first = (r: Record<string, TensorData>) => (r['w']!.data as Float64Array)[0]!

describe('update rules, two steps from θ = 1 with g = 0.5 then 0.25', () => {
  const run = (spec: Parameters<typeof createOptimizer>[0]) => {
    const o = createOptimizer(spec)
    const a = o.step({ w: t([1]) }, { w: t([0.5]) })
    return [first(a), first(o.step(a, { w: t([0.25]) }))]
  }
  test('sgd', () => {
    const [a, b] = run({ rule: 'sgd', lr: 0.1 })
    expect(a).toBeCloseTo(0.95, 15)
    expect(b).toBeCloseTo(0.925, 15)
  })
  test('momentum: v = 0.5, then 0.9·0.5 + 0.25', () => {
    const [a, b] = run({ rule: 'momentum', lr: 0.1, params: { momentum: 0.9 } })
    expect(a).toBeCloseTo(0.95, 15)
    expect(b).toBeCloseTo(0.95 - 0.1 * 0.7, 15)
  })
  test('adam: the first step is lr·sign(g) thanks to bias correction', () => {
    const [a] = run({ rule: 'adam', lr: 0.01 })
    expect(a).toBeCloseTo(1 - 0.01, 6)
  })
  test('adagrad: first step lr·g/|g|', () => expect(run({ rule: 'adagrad', lr: 0.1 })[0]).toBeCloseTo(0.9, 6))
  test('rmsprop: ε outside vs inside the root differ as stated', () => {
    const out = run({ rule: 'rmsprop', lr: 0.1, params: { epsilon: 0.01 } })[0]!
    const ins = run({ rule: 'rmsprop', lr: 0.1, params: { epsilon: 0.01 }, convention: { epsilon: 'inside-sqrt' } })[0]!
    expect(out).toBeCloseTo(1 - (0.1 * 0.5) / (Math.sqrt(0.1 * 0.25) + 0.01), 12)
    expect(ins).toBeCloseTo(1 - (0.1 * 0.5) / Math.sqrt(0.1 * 0.25 + 0.01), 12)
  })
  test('weight decay is L2 added to the gradient', () => {
    expect(run({ rule: 'sgd', lr: 0.1, params: { weightDecay: 0.2 } })[0]).toBeCloseTo(1 - 0.1 * (0.5 + 0.2), 15)
  })
  test('an unknown rule is named', () => expect(() => createOptimizer({ rule: 'lion' as 'sgd', lr: 1 })).toThrow(/unknown optimizer rule "lion"/))
})

test('clipping: by value bounds elements, by global norm keeps the direction', () => {
  const g = { a: t([3, -4]), b: t([12]) }
  expect(Array.from(clipByValue(g, 2)['a']!.data as Float64Array)).toEqual([2, -2])
  const c = clipByGlobalNorm(g, 6.5)
  expect(globalNorm(c)).toBeCloseTo(6.5, 12)
  expect(Array.from(c['a']!.data as Float64Array)).toEqual([1.5, -2])
  expect(clipByGlobalNorm(g, 100)).toBe(g)
})
