// Elementwise unary math ops. Masks (sign, in-range) are constants: their derivative is 0 almost
// everywhere, which is exactly what a second derivative through them should see.
import { apply1, constant, scalarLike, type Attrs, type Primitive, type Var } from '../autograd.ts'
import { map } from './kernels.ts'
import { MAPS } from './fast_loops.ts'
import { div, mul, add } from './binary.ts'

/** `scalar` is the formula per element, kept for checking the dedicated loops against it. */
export const unary = (name: string, f: (x: number, attrs: Attrs) => number, backward: Primitive['backward']): Primitive & { scalar: typeof f } => ({
  name,
  scalar: f,
  forward: ([x], attrs) => [map(x!, (v) => f(v, attrs), MAPS[name])],
  backward,
})

// y = −x;  dx = −g
export const Neg = unary('Neg', (x) => -x, (_x, _y, [g]) => [neg(g!)])

// y = eˣ;  dx = g·y
export const Exp = unary('Exp', Math.exp, (_x, [y], [g]) => [mul(g!, y!)])

// y = ln x;  dx = g / x
export const Log = unary('Log', Math.log, ([x], _y, [g]) => [div(g!, x!)])

// y = √x;  dx = g / (2y)
export const Sqrt = unary('Sqrt', Math.sqrt, (_x, [y], [g]) => [div(g!, add(y!, y!))])

// y = |x|;  dx = g·sign(x)   (sign(0) = 0: the subgradient of least norm)
export const Abs = unary('Abs', Math.abs, ([x], _y, [g]) => [mul(g!, constant(map(x!.value, Math.sign)))])

// y = x;  dx = g
export const Identity = unary('Identity', (x) => x, (_x, _y, [g]) => [g])

// y = min(max(x, lo), hi);  dx = g·[lo ≤ x ≤ hi]   (bounds inclusive, as tf.clipByValue's gradient)
export const Clip = unary(
  'Clip',
  (x, a) => Math.min(Math.max(x, bound(a, 'min', -Infinity)), bound(a, 'max', Infinity)),
  ([x], _y, [g], a) => {
    const lo = bound(a, 'min', -Infinity)
    const hi = bound(a, 'max', Infinity)
    return [mul(g!, constant(map(x!.value, (v) => (v >= lo && v <= hi ? 1 : 0))))]
  },
)

function bound(attrs: Attrs, key: string, dflt: number): number {
  const v = attrs[key]
  return typeof v === 'number' ? v : dflt
}

export const neg = (x: Var): Var => apply1(Neg, [x])
export const exp = (x: Var): Var => apply1(Exp, [x])
export const log = (x: Var): Var => apply1(Log, [x])
export const sqrt = (x: Var): Var => apply1(Sqrt, [x])
export const one = (like: Var): Var => scalarLike(like, 1)
