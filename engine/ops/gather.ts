// Gather (ONNX): pick slices of `data` along `axis` by integer indices (negative count from the end).
// The reference engine takes the indices as a static operand (an initializer), like shapes and axes.
import { apply1, type Attrs, type Primitive } from '../autograd.ts'
import { Tensor, alloc, fmtShape, normAxis, sizeOf } from '../tensor.ts'

interface GatherPlan {
  outShape: number[]
  outer: number
  inner: number
  n: number
  idx: number[]
}

function plan(shape: readonly number[], a: Attrs): GatherPlan {
  const axis = normAxis(typeof a['axis'] === 'number' ? (a['axis'] as number) : 0, shape.length)
  const raw = Array.isArray(a['indices']) ? (a['indices'] as number[]) : [a['indices'] as number]
  const idxShape = (a['indicesShape'] as number[] | undefined) ?? [raw.length]
  const n = shape[axis]!
  const idx = raw.map((i) => {
    if (i < -n || i >= n) throw new Error(`Gather: index ${i} out of range for axis ${axis} of size ${n}`)
    return i < 0 ? i + n : i
  })
  return {
    outShape: [...shape.slice(0, axis), ...idxShape, ...shape.slice(axis + 1)],
    outer: sizeOf(shape.slice(0, axis)),
    inner: sizeOf(shape.slice(axis + 1)),
    n,
    idx,
  }
}

// y[…, j, …] = x[…, idx[j], …];  dx = scatter-add of g at the gathered places (GatherGrad)
export const Gather: Primitive = {
  name: 'Gather',
  forward: ([x], a) => {
    const p = plan(x!.shape, a)
    const out = alloc(x!.dtype, sizeOf(p.outShape))
    let o = 0
    for (let i = 0; i < p.outer; i++) {
      for (const j of p.idx) {
        const from = (i * p.n + j) * p.inner
        out.set(x!.data.subarray(from, from + p.inner), o)
        o += p.inner
      }
    }
    return [new Tensor(x!.dtype, p.outShape, out)]
  },
  backward: ([x], _y, [g], a) => [apply1(GatherGrad, [g!], { ...a, inputShape: [...x!.shape] })],
}

// The adjoint of Gather (not an ONNX op). Linear, so its gradient is Gather again.
export const GatherGrad: Primitive = {
  name: 'GatherGrad',
  forward: ([g], a) => {
    const shape = a['inputShape'] as number[]
    const p = plan(shape, a)
    if (sizeOf(p.outShape) !== g!.size) throw new Error(`GatherGrad: gradient ${fmtShape(g!.shape)} does not match ${fmtShape(p.outShape)}`)
    const out = alloc(g!.dtype, sizeOf(shape))
    let o = 0
    for (let i = 0; i < p.outer; i++) {
      for (const j of p.idx) {
        const to = (i * p.n + j) * p.inner
        for (let k = 0; k < p.inner; k++) out[to + k] = out[to + k]! + g!.data[o + k]!
        o += p.inner
      }
    }
    return [new Tensor(g!.dtype, shape, out)]
  },
  backward: (_g, _y, [gg], a) => [apply1(Gather, [gg!], a)],
}
