// The branch-free scans must find every non-finite value wherever it sits (each of the four
// interleaved sums, the tail past the last group of four) and never flag a finite one.
import { describe, expect, it } from 'vitest'
import { useWasm } from '../wasm/load.ts'
import { firstNonFinite, reluInto } from './float_bits.ts'

describe('float_bits', () => {
  for (const Arr of [Float32Array, Float64Array] as const) {
    const make = (vals: number[]) => (Arr === Float32Array ? Float32Array.from(vals) : Float64Array.from(vals))
    it(`${Arr.name}: firstNonFinite finds NaN and ±∞ at every lane and in the tail`, () => {
      const n = 11
      expect(firstNonFinite(make(Array.from({ length: n }, (_, i) => (i - 5) * 1e30)))).toBe(-1)
      for (const bad of [NaN, Infinity, -Infinity]) {
        for (let at = 0; at < n; at++) {
          const a = make(new Array<number>(n).fill(3.5))
          a[at] = bad
          expect(firstNonFinite(a)).toBe(at)
        }
      }
    })

    for (const wasm of [true, false]) {
      it(`${Arr.name}: firstNonFinite on large arrays (WebAssembly ${wasm ? 'on' : 'off'}: its chunks of 8192 and padded tail)`, () => {
        useWasm(wasm)
        try {
          const n = 2 * 8192 + 4099
          const a = make(Array.from({ length: n }, (_, i) => [3e38, -3e38, 1e-45, -0][i % 4]!))
          expect(firstNonFinite(a)).toBe(-1)
          for (const bad of [NaN, Infinity, -Infinity]) {
            for (const at of [0, 1, 8191, 8192, 16383, 16384, n - 4, n - 1]) {
              const b = a.slice()
              b[at] = bad
              expect(firstNonFinite(b)).toBe(at)
            }
          }
        } finally {
          useWasm(true)
        }
      })
    }

    it(`${Arr.name}: reluInto keeps NaN, zeroes negatives and −0, keeps the rest`, () => {
      const x = make([-2, -0, 0, 1.5, NaN, -Infinity, Infinity, -1e-45, 1e-45])
      const y = make(new Array<number>(x.length).fill(0))
      reluInto(x, y)
      expect(Array.from(y)).toEqual([0, 0, 0, 1.5, NaN, 0, Infinity, 0, Arr === Float32Array ? Math.fround(1e-45) : 1e-45])
      expect(Object.is(y[1], 0)).toBe(true) // −0 becomes +0
    })
  }
})
