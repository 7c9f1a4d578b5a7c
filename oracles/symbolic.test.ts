import { expect, test } from 'vitest'
import { SYMBOLIC_ACTIVATIONS, SYMBOLIC_LOSSES } from './symbolic.ts'

const by = (name: string) => SYMBOLIC_ACTIVATIONS.find((s) => s.name === name)!
const sig = (x: number) => 1 / (1 + Math.exp(-x))

test.each([-3, -0.5, 0.7, 2.5])('mathjs derivatives match the closed forms at %d', (x) => {
  expect(by('sigmoid').df(x)).toBeCloseTo(sig(x) * (1 - sig(x)), 12)
  expect(by('tanh').df(x)).toBeCloseTo(1 - Math.tanh(x) ** 2, 12)
  expect(by('softplus').df(x)).toBeCloseTo(sig(x), 12)
  expect(by('elu').df(x)).toBeCloseTo(x > 0 ? 1 : Math.exp(x), 12)
  expect(by('relu').df(x)).toBe(x > 0 ? 1 : 0)
  expect(SYMBOLIC_LOSSES.squaredError(0.3).df(x)).toBeCloseTo(2 * (x - 0.3), 12)
  expect(SYMBOLIC_LOSSES.bceFromLogit(1).df(x)).toBeCloseTo(sig(x) - 1, 12)
})

test('the derivative text comes from mathjs', () => {
  expect(by('tanh').derivative).toMatch(/sech|tanh|cosh/)
})
