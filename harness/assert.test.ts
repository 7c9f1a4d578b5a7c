import { expect, test } from 'vitest'
import { expectClose, Mismatch, tolerance } from './assert.ts'

const t = (v: number[], shape = [v.length]) => ({ dtype: 'float64' as const, shape, data: Float64Array.from(v) })

test('the one message pattern: worst element, values, |Δ|, tol, count, replay', () => {
  const run = () => expectClose(t([0.1, 0.4132, 0.3, 0.2], [2, 2]), t([0.1, 0.4107, 0.3, 0.2001], [2, 2]), { what: 'Conv out', oracle: 'tfjs-cpu', tol: tolerance('float32'), replay: 'npx nnspec run …' })
  expect(run).toThrow(Mismatch)
  expect(run).toThrow('Conv out[0,1] = 0.4132 but tfjs-cpu gives 0.4107 (|Δ| 2.5e-3 > tol 5.1e-5); 2 of 4 elements differ; replay: npx nnspec run …')
})

test('NaN where a number is expected fails; equal NaNs and infinities pass', () => {
  const o = { what: 'y', oracle: 'ref', tol: tolerance('float64'), replay: 'r' }
  expect(() => expectClose(t([NaN]), t([1]), o)).toThrow(/y\[0\] = NaN but ref gives 1 \(NaN is not finite\)/)
  expect(() => expectClose(t([Infinity, NaN]), t([Infinity, NaN]), o)).not.toThrow()
  expect(() => expectClose(t([1, 2]), t([1, 2, 3]), o)).toThrow(/shape \[2\] but ref gives shape \[3\]/)
})

test('tolerances follow the policy and widen by √K', () => {
  expect(tolerance('float32')).toEqual({ rtol: 1e-4, atol: 1e-5 })
  expect(tolerance('float64', { gradient: true })).toEqual({ rtol: 1e-5, atol: 1e-7 })
  expect(tolerance('float32', { reduction: 100 }).rtol).toBeCloseTo(1e-3, 12)
})
