// Pad (ONNX opset 13: `pads` and `constant_value` as operands; modes constant, reflect, edge).
// Every output element either copies one input element or is the constant, so the forward is a
// gather through a source map and the gradient the matching scatter-add (PadGrad).
import { apply1, type Attrs, type Primitive } from '../autograd.ts'
import { Tensor, alloc, fmtShape, sizeOf, stridesOf } from '../tensor.ts'
import { forEachIndex } from './kernels.ts'

interface PadPlan {
  outShape: number[]
  /** per output element: flat input index, or −1 for the constant */
  src: Int32Array
}

function padPlan(shape: readonly number[], a: Attrs): PadPlan {
  const rank = shape.length
  const pads = (a['pads'] as number[] | undefined) ?? new Array<number>(2 * rank).fill(0)
  if (pads.length !== 2 * rank) throw new Error(`Pad: pads has ${pads.length} values, rank ${rank} input needs ${2 * rank}`)
  const mode = (a['mode'] as string | undefined) ?? 'constant'
  if (!['constant', 'reflect', 'edge'].includes(mode)) throw new Error(`Pad: unknown mode "${mode}"`)
  const outShape = shape.map((d, i) => d + pads[i]! + pads[i + rank]!)
  if (outShape.some((d) => d < 0)) throw new Error(`Pad: pads ${fmtShape(pads)} crop input ${fmtShape(shape)} below zero`)
  if (mode === 'reflect' && shape.some((d, i) => (pads[i]! >= d || pads[i + rank]! >= d) && d > 0)) {
    throw new Error(`Pad: reflect pads ${fmtShape(pads)} must be smaller than input dims ${fmtShape(shape)}`)
  }
  const st = stridesOf(shape)
  const src = new Int32Array(sizeOf(outShape))
  forEachIndex(outShape, (i, idx) => {
    let o = 0
    for (let k = 0; k < rank; k++) {
      let j = idx[k]! - pads[k]!
      const n = shape[k]!
      if (j < 0 || j >= n) {
        if (mode === 'constant') return void (src[i] = -1)
        j = mode === 'edge' ? Math.min(Math.max(j, 0), n - 1) : reflect(j, n)
      }
      o += j * st[k]!
    }
    src[i] = o
  })
  return { outShape, src }
}

/** Mirror without repeating the edge: −1 → 1, n → n − 2. */
const reflect = (j: number, n: number): number => (j < 0 ? -j : 2 * (n - 1) - j)

// y[i] = x[src(i)] or c;  dx = Σ of g over the outputs that copied x  (PadGrad)
export const Pad: Primitive = {
  name: 'Pad',
  forward: ([x], a) => {
    const { outShape, src } = padPlan(x!.shape, a)
    const c = typeof a['constant_value'] === 'number' ? (a['constant_value'] as number) : 0
    const out = alloc(x!.dtype, src.length)
    for (let i = 0; i < src.length; i++) out[i] = src[i]! < 0 ? c : x!.data[src[i]!]!
    return [new Tensor(x!.dtype, outShape, out)]
  },
  backward: ([x], _y, [g], a) => [apply1(PadGrad, [g!], { ...a, inputShape: [...x!.shape] })],
}

// The adjoint of Pad (not an ONNX op): scatter-add. Linear, so its gradient is Pad with constant 0.
export const PadGrad: Primitive = {
  name: 'PadGrad',
  forward: ([g], a) => {
    const shape = a['inputShape'] as number[]
    const { src } = padPlan(shape, a)
    const out = alloc(g!.dtype, sizeOf(shape))
    for (let i = 0; i < src.length; i++) if (src[i]! >= 0) out[src[i]!] = out[src[i]!]! + g!.data[i]!
    return [new Tensor(g!.dtype, shape, out)]
  },
  backward: (_g, _y, [gg], a) => [apply1(Pad, [gg!], { pads: a['pads'], mode: a['mode'], constant_value: 0 })],
}
