// Convolution and pooling, composed from Im2Col and matrix/reduction ops: their gradients follow
// from those primitives, so nothing here has a hand-written backward.
import { constant, type Attrs, type Composite, type Var } from '../autograd.ts'
import { Tensor, fmtShape } from '../tensor.ts'
import { add, div } from './binary.ts'
import { matmul } from './matmul.ts'
import { reduceMax, reduceMean, reduceSum } from './reduce.ts'
import { concat, reshape, slice } from './shape.ts'
import { im2col, windowOf } from './window.ts'

const kernelAttr = (a: Attrs): [number, number] | undefined =>
  Array.isArray(a['kernel_shape']) ? [a['kernel_shape'][0] as number, a['kernel_shape'][1] as number] : undefined

/** One group: y[n,m,·] = W[m,:]·cols[n,:,·] — a matrix product per image. */
function convGroup(x: Var, w: Var, attrs: Attrs): Var {
  const [N, C] = x.shape as [number, number]
  const [M, , kh, kw] = w.shape as [number, number, number, number]
  const win = windowOf('Conv', x.shape.slice(2), [kh, kw], attrs)
  const cols = reshape(im2col(x, win), [N, C * kh * kw, win.out[0] * win.out[1]])
  return reshape(matmul(reshape(w, [M, C * kh * kw]), cols), [N, M, win.out[0], win.out[1]])
}

// Y = W ⋆ X + B  (NCHW, weights [M, C/group, kh, kw]; groups convolve disjoint channel slices)
export const Conv: Composite = {
  name: 'Conv',
  compose: ([x, w, b], attrs) => {
    if (x!.shape.length !== 4 || w!.shape.length !== 4) {
      throw new Error(`only 2-D convolution: X ${fmtShape(x!.shape)} and W ${fmtShape(w!.shape)} must be rank 4`)
    }
    const group = typeof attrs['group'] === 'number' ? (attrs['group'] as number) : 1
    const [M, Cg, kh, kw] = w!.shape as [number, number, number, number]
    const k = kernelAttr(attrs)
    if (k && (k[0] !== kh || k[1] !== kw)) throw new Error(`kernel_shape ${fmtShape(k)} does not match weight shape ${fmtShape(w!.shape)}`)
    if (x!.shape[1] !== Cg * group || M % group !== 0) {
      throw new Error(`X has ${x!.shape[1]} channels but W ${fmtShape(w!.shape)} with group ${group} expects ${Cg * group} (and M divisible by group)`)
    }
    const Mg = M / group
    const parts = Array.from({ length: group }, (_, i) =>
      convGroup(group === 1 ? x! : slice(x!, [i * Cg], [(i + 1) * Cg], [1]), group === 1 ? w! : slice(w!, [i * Mg], [(i + 1) * Mg], [0]), attrs),
    )
    const y = parts.length === 1 ? parts[0]! : concat(parts, 1)
    return [b ? add(y, reshape(b, [1, M, 1, 1])) : y]
  },
}

/** Windows of x as [N, C, k, OH, OW] → reduced over k by `reduce`. */
function pool(op: string, x: Var, attrs: Attrs, padValue: number, reduce: (cols: Var) => Var): Var {
  const k = kernelAttr(attrs)
  if (!k) throw new Error(`${op}: kernel_shape is required`)
  if (x.shape.length !== 4) throw new Error(`${op}: only 2-D pooling on NCHW input, got ${fmtShape(x.shape)}`)
  const win = windowOf(op, x.shape.slice(2), k, attrs)
  const [N, C] = x.shape as [number, number]
  return reshape(reduce(im2col(x, win, padValue)), [N, C, win.out[0], win.out[1]])
}

// Y = max over each window (padding never wins);  the gradient goes to each window's argmax
export const MaxPool: Composite = {
  name: 'MaxPool',
  compose: ([x], attrs) => {
    if (attrs['storage_order'] === 1) throw new Error('MaxPool: storage_order 1 (column-major indices) is not supported')
    return [pool('MaxPool', x!, attrs, -Infinity, (cols) => reduceMax(cols, [2]))]
  },
}

// Y = mean over each window; count_include_pad = 0 (default) divides by the real elements only
export const AveragePool: Composite = {
  name: 'AveragePool',
  compose: ([x], attrs) => {
    const sum = pool('AveragePool', x!, attrs, 0, (cols) => reduceSum(cols, [2], false))
    const count =
      attrs['count_include_pad'] === 1
        ? constant(Tensor.scalar(x!.dtype, kernelAttr(attrs)![0] * kernelAttr(attrs)![1]))
        : pool('AveragePool', constant(Tensor.full(x!.dtype, x!.shape, 1)), attrs, 0, (cols) => reduceSum(cols, [2], false))
    return [div(sum, count)]
  },
}

// Y[n,c,1,1] = mean over H×W
export const GlobalAveragePool: Composite = {
  name: 'GlobalAveragePool',
  compose: ([x]) => [reduceMean(x!, [2, 3], true)],
}

// Y[n,c,1,1] = max over H×W
export const GlobalMaxPool: Composite = {
  name: 'GlobalMaxPool',
  compose: ([x]) => [reduceMax(x!, [2, 3], true)],
}
