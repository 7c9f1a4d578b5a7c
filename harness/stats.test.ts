import { expect, test } from 'vitest'
import { wilson } from './stats.ts'
import { Rng } from '../contract/rng.ts'

test('Wilson interval: known values', () => {
  const [lo, hi] = wilson(100, 100)
  expect(lo).toBeCloseTo(0.963, 3)
  expect(hi).toBeCloseTo(1, 12)
  const [a, b] = wilson(50, 100)
  expect(a).toBeCloseTo(0.4038, 3)
  expect(b).toBeCloseTo(0.5962, 3)
})

test('Rng: same seed same stream, forks independent and deterministic', () => {
  const a = new Rng(7)
  const b = new Rng(7)
  expect([a.next(), a.next()]).toEqual([b.next(), b.next()])
  expect(new Rng(7).fork('x').next()).toBe(new Rng(7).fork('x').next())
  expect(new Rng(7).fork('x').next()).not.toBe(new Rng(7).fork('y').next())
  const xs = Array.from({ length: 20000 }, () => a.normal())
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length
  const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length
  expect(Math.abs(mean)).toBeLessThan(0.03)
  expect(Math.abs(variance - 1)).toBeLessThan(0.05)
})
