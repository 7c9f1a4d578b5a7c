// Reductions over a set of axes (ONNX: `axes`, `keepdims` default 1, `noop_with_empty_axes`).
// The graph executor turns ReduceSum's `axes` input tensor into the same attribute.
import { apply1, constant, type Attrs, type Primitive, type Var } from '../autograd.ts'
import { Tensor, alloc, broadcastStrides, normAxis, sizeOf, stridesOf } from '../tensor.ts'
import { forEachRow, sameShape } from './kernels.ts'
import { SUM_ROW } from './fast_loops.ts'
import { div, mul } from './binary.ts'
import { expand, reshape } from './shape.ts'

interface Plan {
  axes: number[]
  keepShape: number[] // input shape with reduced axes set to 1
  outShape: number[]
  count: number // elements per reduced group
}

function plan(x: Tensor | Var, attrs: Attrs): Plan {
  const rank = x.shape.length
  const given = Array.isArray(attrs['axes']) ? (attrs['axes'] as number[]) : []
  if (given.length === 0 && attrs['noop_with_empty_axes'] === 1) {
    return { axes: [], keepShape: [...x.shape], outShape: [...x.shape], count: 1 }
  }
  const axes = given.length === 0 ? x.shape.map((_, i) => i) : [...new Set(given.map((a) => normAxis(a, rank)))]
  const keepShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
  const keep = attrs['keepdims'] === undefined || attrs['keepdims'] === 1
  const outShape = keep ? keepShape : x.shape.filter((_, i) => !axes.includes(i))
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1)
  return { axes, keepShape, outShape, count }
}

/** `sum`: f is a sum, and the dedicated loop of fast_loops.ts does it (as zip's rows). */
function reduceKernel(x: Tensor, p: Plan, init: number, f: (acc: number, v: number) => number, sum = false): Tensor {
  const out = alloc(x.dtype, sizeOf(p.outShape)).fill(init)
  const d = x.data
  // walk x in its own order; each element lands on its group's slot (stride 0 along reduced axes)
  forEachRow(x.shape, [stridesOf(x.shape), broadcastStrides(p.keepShape, x.shape)], (_, p, n, step) => {
    const px = p[0]!, po = p[1]!, ix = step[0]!, io = step[1]!
    if (sum) return SUM_ROW(d, out, px, po, n, ix, io)
    for (let i = 0; i < n; i++) out[po + i * io] = f(out[po + i * io]!, d[px + i * ix]!)
  })
  return new Tensor(x.dtype, p.outShape, out)
}

/** Broadcast the reduced gradient back over the reduced axes. */
const spread = (g: Var, x: Var, p: Plan): Var => expand(reshape(g, p.keepShape), x.shape)

// y = Σ_axes x;  dx = g broadcast back over the reduced axes
export const ReduceSum: Primitive = {
  name: 'ReduceSum',
  forward: ([x], a) => [reduceKernel(x!, plan(x!, a), 0, (s, v) => s + v, true)],
  backward: ([x], _y, [g], a) => [spread(g!, x!, plan(x!, a))],
}

// y = (1/n) Σ_axes x;  dx = g/n broadcast back
export const ReduceMean: Primitive = {
  name: 'ReduceMean',
  forward: ([x], a) => {
    const p = plan(x!, a)
    const s = reduceKernel(x!, p, 0, (acc, v) => acc + v, true)
    for (let i = 0; i < s.data.length; i++) s.data[i] = s.data[i]! / p.count
    return [s]
  },
  backward: ([x], _y, [g], a) => {
    const p = plan(x!, a)
    return [div(spread(g!, x!, p), constant(Tensor.scalar(x!.dtype, p.count)))]
  },
}

// y = max_axes x;  dx = g·[x = y]/#ties   (ties share the gradient equally, as PyTorch's amax)
export const ReduceMax: Primitive = {
  name: 'ReduceMax',
  forward: ([x], a) => [reduceKernel(x!, plan(x!, a), -Infinity, (m, v) => (v > m || Number.isNaN(v) ? v : m))],
  backward: ([x], [y], [g], a) => {
    const p = plan(x!, a)
    const [xs, ys] = [stridesOf(x!.shape), broadcastStrides(p.keepShape, x!.shape)] // y read at x's group (stride 0 along reduced axes)
    const [xd, yd] = [x!.value.data, y!.value.data]
    const hit = alloc(x!.dtype, x!.value.size)
    forEachRow(x!.shape, [xs, ys], (_, o, n, step) => {
      const px = o[0]!, py = o[1]!, ix = step[0]!, iy = step[1]!
      for (let i = 0; i < n; i++) hit[px + i * ix] = xd[px + i * ix] === yd[py + i * iy] ? 1 : 0
    })
    const ties = reduceKernel(new Tensor(x!.dtype, x!.shape, hit), { ...p, outShape: p.keepShape }, 0, (s, v) => s + v, true).data
    const share = alloc(x!.dtype, x!.value.size)
    forEachRow(x!.shape, [xs, ys], (_, o, n, step) => {
      const px = o[0]!, py = o[1]!, ix = step[0]!, iy = step[1]!
      for (let i = 0; i < n; i++) share[px + i * ix] = hit[px + i * ix]! / ties[py + i * iy]!
    })
    return [mul(spread(g!, x!, p), constant(new Tensor(x!.dtype, x!.shape, share)))]
  },
}

export const reduceSum = (x: Var, axes: number[], keepdims: boolean): Var =>
  apply1(ReduceSum, [x], { axes, keepdims: keepdims ? 1 : 0 })

/** Sum a broadcast gradient back down to `shape` (the adjoint of broadcasting). */
export function sumTo(g: Var, shape: readonly number[]): Var {
  if (sameShape(g.shape, shape)) return g
  const lead = g.shape.length - shape.length
  const axes = g.shape.map((_, i) => i).filter((i) => i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1))
  const summed = axes.length > 0 ? reduceSum(g, axes, true) : g
  return reshape(summed, shape)
}
export const reduceMean = (x: Var, axes: number[], keepdims: boolean): Var =>
  apply1(ReduceMean, [x], { axes, keepdims: keepdims ? 1 : 0 })
export const reduceMax = (x: Var, axes: number[], keepdims = false): Var =>
  apply1(ReduceMax, [x], { axes, keepdims: keepdims ? 1 : 0 })
