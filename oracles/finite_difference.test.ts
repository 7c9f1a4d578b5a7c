// The oracle itself: right on known functions, and both modes catch a wrong analytic gradient.
import { expect, test } from 'vitest'
import { tolerance } from '../harness/assert.ts'
import { Rng } from '../contract/rng.ts'
import { gradient, jacobian, projected, randomDirections } from './finite_difference.ts'

const x = { x: Float64Array.from([0.3, -1.2, 0.8]) }
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v))
const f = (i: Record<string, Float64Array>) => i['x']!.map(sigmoid)
const rightGrad = (v: number) => sigmoid(v) * (1 - sigmoid(v))
const wrongGrad = (v: number) => sigmoid(v) // the classic slip: σ instead of σ(1−σ)
const tol = tolerance('float64', { gradient: true })
const close = (a: number, b: number) => Math.abs(a - b) <= tol.atol + tol.rtol * Math.abs(b)

test('full Jacobian of an elementwise function is diagonal with σ(1−σ)', async () => {
  const J = await jacobian(f, x, ['x'])
  J.forEach((row, o) => row.forEach((v, k) => expect(close(v, o === k ? rightGrad(x.x[k]!) : 0)).toBe(true)))
})

test('gradient of a polynomial', async () => {
  const g = await gradient((i) => Float64Array.of(i['a']![0]! ** 3 * i['a']![1]!), { a: Float64Array.of(1.5, -2) }, ['a'])
  expect(close(g['a']![0]!, 3 * 1.5 ** 2 * -2)).toBe(true)
  expect(close(g['a']![1]!, 1.5 ** 3)).toBe(true)
})

test('both modes catch a wrong derivative', async () => {
  const J = await jacobian(f, x, ['x'])
  expect(J.every((row, k) => close(row[k]!, wrongGrad(x.x[k]!)))).toBe(false)
  const { u, v } = randomDirections(new Rng(1), x, ['x'], 3)
  const vJu = await projected(f, x, u, v)
  const analytic = (d: (v: number) => number) => x.x.reduce((s, xi, k) => s + v[k]! * d(xi) * u['x']![k]!, 0)
  expect(close(vJu, analytic(rightGrad))).toBe(true)
  expect(close(vJu, analytic(wrongGrad))).toBe(false)
})
