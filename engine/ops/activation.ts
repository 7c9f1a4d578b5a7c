// Activation functions, in their numerically stable forms (no overflow for |x| up to float max).
import { apply1, constant, scalarLike, type Primitive, type Var } from '../autograd.ts'
import { Tensor, alloc, normAxis } from '../tensor.ts'
import { map } from './kernels.ts'
import { add, mul, sub } from './binary.ts'
import { exp, unary } from './unary.ts'
import { reduceSum } from './reduce.ts'

// the stable form: e^−|x| never overflows
const sigmoidScalar = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)))
const attr = (a: Record<string, unknown>, k: string, d: number): number => (typeof a[k] === 'number' ? (a[k] as number) : d)

// y = σ(x) = 1/(1+e⁻ˣ);  dx = g·y·(1−y)
export const Sigmoid = unary('Sigmoid', sigmoidScalar, (_x, [y], [g]) => [mul(g!, mul(y!, sub(scalarLike(y!, 1), y!)))])

// y = tanh x;  dx = g·(1−y²)
export const Tanh = unary('Tanh', Math.tanh, (_x, [y], [g]) => [mul(g!, sub(scalarLike(y!, 1), mul(y!, y!)))])

// y = max(x, 0), NaN passing through;  dx = g·[x > 0]   (ReLU'(0) = 0 by convention)
export const Relu = unary('Relu', (x) => (x > 0 || Number.isNaN(x) ? x : 0), ([x], _y, [g]) => [mul(g!, constant(map(x!.value, (v) => (v > 0 ? 1 : 0))))])

// y = x if x ≥ 0 else αx (α default 0.01);  dx = g·(x > 0 ? 1 : α)
export const LeakyRelu = unary(
  'LeakyRelu',
  (x, a) => (x >= 0 ? x : attr(a, 'alpha', 0.01) * x),
  ([x], _y, [g], a) => [mul(g!, constant(map(x!.value, (v) => (v > 0 ? 1 : attr(a, 'alpha', 0.01)))))],
)

// y = x if x > 0 else α(eˣ−1) (α default 1);  dx = g·(x > 0 ? 1 : y + α)
export const Elu = unary(
  'Elu',
  (x, a) => (x > 0 ? x : attr(a, 'alpha', 1) * Math.expm1(x)),
  ([x], [y], [g], a) => {
    const pos = constant(map(x!.value, (v) => (v > 0 ? 1 : 0)))
    const negSlope = mul(sub(scalarLike(pos, 1), pos), add(y!, scalarLike(y!, attr(a, 'alpha', 1))))
    return [mul(g!, add(pos, negSlope))]
  },
)

// y = ln(1+eˣ) = max(x,0) + ln(1+e^−|x|);  dx = g·σ(x)
export const Softplus = unary(
  'Softplus',
  (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  ([x], _y, [g]) => [mul(g!, sigmoid(x!))],
)

/** Softmax along one axis, max-subtracted so logits of ±1e4 do not overflow. */
function softmaxKernel(x: Tensor, axisAttr: number, log: boolean): Tensor {
  const axis = normAxis(axisAttr, x.shape.length)
  const n = x.shape[axis]!
  let inner = 1
  for (let k = axis + 1; k < x.shape.length; k++) inner *= x.shape[k]!
  const outer = x.size / (n * inner)
  const d = x.data
  const out = alloc(x.dtype, x.size)
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i
      let m = -Infinity
      for (let j = 0; j < n; j++) m = Math.max(m, d[base + j * inner]!)
      let s = 0
      for (let j = 0; j < n; j++) s += Math.exp(d[base + j * inner]! - m)
      const ls = Math.log(s)
      for (let j = 0; j < n; j++) {
        const z = d[base + j * inner]! - m
        out[base + j * inner] = log ? z - ls : Math.exp(z - ls)
      }
    }
  }
  return new Tensor(x.dtype, x.shape, out)
}

// y = eˣ / Σ eˣ along axis (default −1);  dx = y·(g − Σ g·y)
export const Softmax: Primitive = {
  name: 'Softmax',
  forward: ([x], a) => [softmaxKernel(x!, attr(a, 'axis', -1), false)],
  backward: (_x, [y], [g], a) => [mul(y!, sub(g!, reduceSum(mul(g!, y!), [attr(a, 'axis', -1)], true)))],
}

// y = x − ln Σ eˣ along axis;  dx = g − softmax(x)·Σ g
export const LogSoftmax: Primitive = {
  name: 'LogSoftmax',
  forward: ([x], a) => [softmaxKernel(x!, attr(a, 'axis', -1), true)],
  backward: (_x, [y], [g], a) => [sub(g!, mul(exp(y!), reduceSum(g!, [attr(a, 'axis', -1)], true)))],
}

export const sigmoid = (x: Var): Var => apply1(Sigmoid, [x])
export const tanh = (x: Var): Var => apply1(Tanh, [x])
export const relu = (x: Var): Var => apply1(Relu, [x])
export const softmax = (x: Var, axis = -1): Var => apply1(Softmax, [x], { axis })
