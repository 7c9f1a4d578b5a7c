// The dedicated loops compute exactly what their op's formula does, element by element, on values
// that include the extremes (±0, ±1e±30, ±∞, NaN) and under broadcasting.
import { expect, test } from 'vitest'
import { Tensor } from '../tensor.ts'
import { map, zip } from './kernels.ts'
import { MAPS, ROWS, SUM_ROW, ULPS } from './fast_loops.ts'
import * as binary from './binary.ts'
import * as unary from './unary.ts'
import * as activation from './activation.ts'
import { Rng } from '../../contract/rng.ts'

const EXTREMES = [0, -0, 1, -1, 1e-30, -1e-30, 1e30, -1e30, 88.7, -88.7, 710, -710, Infinity, -Infinity, NaN]
const rng = new Rng(7)
const values = (n: number) => Array.from({ length: n }, (_, i) => (i < EXTREMES.length ? EXTREMES[i]! : rng.normal(0, 5)))
const arr = (dtype: 'float32' | 'float64', v: number[]) => (dtype === 'float32' ? Float32Array.from(v) : Float64Array.from(v))
const same = (a: ArrayLike<number>, b: ArrayLike<number>) => expect(Array.from(a).map(String)).toEqual(Array.from(b).map(String))
/** Float32 ulps between a and b (0 for equal values, both NaN included). */
function ulps(a: number, b: number): number {
  if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return 0
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity
  const bits = (v: number) => { const i = new Int32Array(Float32Array.of(v).buffer)[0]!; return i < 0 ? -2147483648 - i : i }
  return Math.abs(bits(a) - bits(b))
}
type Scalar = { name: string; scalar: (a: number, b: number) => number }
const ops = (mod: object) => Object.values(mod).filter((v): v is Scalar => typeof v === 'object' && v !== null && 'scalar' in v)

test('each dedicated binary row loop equals its formula, same shape and broadcast, both dtypes', () => {
  for (const op of ops(binary).filter((o) => o.name in ROWS)) {
    for (const dtype of ['float32', 'float64'] as const) {
      const a = Tensor.from({ dtype, shape: [15, 15], data: arr(dtype, values(15).flatMap((v) => Array<number>(15).fill(v))) })
      const b = Tensor.from({ dtype, shape: [15, 15], data: arr(dtype, Array.from({ length: 15 }, () => values(15)).flat()) })
      const row = Tensor.from({ dtype, shape: [1, 15], data: arr(dtype, values(15)) })
      for (const [x, y] of [[a, b], [a, row], [row, a]] as const) same(zip(op.name, x, y, op.scalar, ROWS[op.name]).data, zip(op.name, x, y, op.scalar).data)
    }
  }
  expect(Object.keys(ROWS).filter((n) => !ops(binary).some((o) => o.name === n))).toEqual([])
})

test('each dedicated unary loop equals its formula', () => {
  const all = [...ops(unary), ...ops(activation)] as unknown as { name: string; scalar: (x: number, a: object) => number }[]
  for (const name of Object.keys(MAPS)) {
    const op = all.find((o) => o.name === name)
    expect(op, name).toBeDefined()
    for (const dtype of ['float32', 'float64'] as const) {
      const x = Tensor.from({ dtype, shape: [40], data: arr(dtype, values(40)) })
      const [fast, formula] = [map(x, (v) => op!.scalar(v, {}), MAPS[name]).data, map(x, (v) => op!.scalar(v, {})).data]
      if (dtype === 'float64' || !(name in ULPS)) same(fast, formula)
      else formula.forEach((want, i) => expect(ulps(fast[i]!, want), `${name}(${x.data[i]}) = ${fast[i]} but the formula gives ${want}`).toBeLessThanOrEqual(ULPS[name]!))
    }
  }
})

test('the sum row accumulates in order, with and without a stride on the accumulator', () => {
  const x = Float64Array.from(values(40).filter(Number.isFinite))
  const acc = new Float64Array(1)
  SUM_ROW(x, acc, 0, 0, x.length, 1, 0)
  expect(acc[0]).toBe(x.reduce((s, v) => s + v, 0))
  const rows = new Float64Array(x.length)
  SUM_ROW(x, rows, 0, 0, x.length, 1, 1)
  same(rows, x)
})
