// Broadcasting binary and variadic elementwise ops. Each gradient is summed back to its input's
// shape (`sumTo`), because broadcasting copied that input along the broadcast axes.
import { apply1, constant, type Primitive, type Var } from '../autograd.ts'
import { Tensor } from '../tensor.ts'
import { zip } from './kernels.ts'
import { ROWS } from './fast_loops.ts'
import { sumTo } from './reduce.ts'
import { log, neg } from './unary.ts'

/** `scalar` is the formula per element, kept for checking the dedicated loops against it. */
const binary = (name: string, f: (a: number, b: number) => number, backward: Primitive['backward']): Primitive & { scalar: typeof f } => ({
  name,
  scalar: f,
  forward: ([a, b]) => [zip(name, a!, b!, f, ROWS[name])],
  backward,
})

// y = a + b;  da = g, db = g
export const Add = binary('Add', (a, b) => a + b, ([a, b], _y, [g]) => [sumTo(g!, a!.shape), sumTo(g!, b!.shape)])

// y = a − b;  da = g, db = −g
export const Sub = binary('Sub', (a, b) => a - b, ([a, b], _y, [g]) => [sumTo(g!, a!.shape), sumTo(neg(g!), b!.shape)])

// y = a·b;  da = g·b, db = g·a
export const Mul = binary('Mul', (a, b) => a * b, ([a, b], _y, [g]) => [
  sumTo(mul(g!, b!), a!.shape),
  sumTo(mul(g!, a!), b!.shape),
])

// y = a / b;  da = g / b, db = −g·y / b
export const Div = binary('Div', (a, b) => a / b, ([a, b], [y], [g]) => [
  sumTo(div(g!, b!), a!.shape),
  b!.requiresGrad ? sumTo(neg(div(mul(g!, y!), b!)), b!.shape) : undefined,
])

// y = aᵇ;  da = g·b·a^(b−1), db = g·y·ln a  (db only when b is trained: ln a is NaN for a < 0)
export const Pow = binary('Pow', (a, b) => Math.pow(a, b), ([a, b], [y], [g]) => [
  sumTo(mul(g!, mul(b!, pow(a!, sub(b!, constant(Tensor.scalar(b!.dtype, 1)))))), a!.shape),
  b!.requiresGrad ? sumTo(mul(g!, mul(y!, log(a!))), b!.shape) : undefined,
])

export const add = (a: Var, b: Var): Var => apply1(Add, [a, b])
export const sub = (a: Var, b: Var): Var => apply1(Sub, [a, b])
export const mul = (a: Var, b: Var): Var => apply1(Mul, [a, b])
export const div = (a: Var, b: Var): Var => apply1(Div, [a, b])
export const pow = (a: Var, b: Var): Var => apply1(Pow, [a, b])

/** Variadic Max/Min: the gradient goes to the first input that attains the extreme (a subgradient). */
function extreme(name: 'Max' | 'Min', pick: (a: number, b: number) => number): Primitive {
  return {
    name,
    forward: (xs) => [xs.slice(1).reduce((acc, x) => zip(name, acc, x, pick), xs[0]!)],
    // dxᵢ = g·[xᵢ is the first input equal to y]
    backward: (xs, [y], [g]) => {
      let taken = zip(name, y!.value, y!.value, () => 0)
      return xs.map((x) => {
        const hit = zip(name, x.value, y!.value, (a, b) => (a === b ? 1 : 0))
        const mask = zip(name, hit, taken, (h, t) => (h === 1 && t === 0 ? 1 : 0))
        taken = zip(name, taken, mask, (t, m) => Math.max(t, m))
        return sumTo(mul(g!, constant(mask)), x.shape)
      })
    },
  }
}

// y = max(x₁, …, xₙ)
export const Max = extreme('Max', (a, b) => (a >= b || Number.isNaN(a) ? a : b))
// y = min(x₁, …, xₙ)
export const Min = extreme('Min', (a, b) => (a <= b || Number.isNaN(a) ? a : b))

// y = x₁ + … + xₙ;  dxᵢ = g
export const Sum: Primitive = {
  name: 'Sum',
  forward: (xs) => [xs.slice(1).reduce((acc, x) => zip('Sum', acc, x, (a, b) => a + b), xs[0]!)],
  backward: (xs, _y, [g]) => xs.map((x) => sumTo(g!, x.shape)),
}
