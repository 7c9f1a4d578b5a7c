// Convolution and pooling, composed from Im2Col and matrix/reduction ops. Pools take their
// gradients from those primitives; Conv's product is one primitive of its own (ConvWindows), so
// that its float32 2-D forward can run as one WebAssembly kernel, and its gradient is written out.
import { apply1, constant, noGrad, type Attrs, type Composite, type Primitive, type Var } from '../autograd.ts'
import { Tensor, fmtShape } from '../tensor.ts'
import { add, div } from './binary.ts'
import { convWasmKernel } from './gemm_kernel.ts'
import { matmul } from './matmul.ts'
import { reduceMax, reduceMean, reduceSum } from './reduce.ts'
import { reshape, transpose } from './shape.ts'
import { Col2Im, im2col, winAttr, windowOf, type Window } from './window.ts'

const kernelAttr = (a: Attrs): number[] | undefined => (Array.isArray(a['kernel_shape']) ? (a['kernel_shape'] as number[]) : undefined)
const product = (v: readonly number[]) => v.reduce((p, d) => p * d, 1)

/**
 * y[n, g·Mg + j, ·] = W[g·Mg + j, :]·cols[n, g, :, ·]: the image's channels split into G groups of
 * Cg, one im2col over all (image, group) planes, one matrix product per (image, group).
 */
function convGroups(x: Var, w: Var, group: number, win: Window): Var {
  const [N, M] = [x.shape[0]!, w.shape[0]!]
  return reshape(matmul(groupWeights(w, group), groupColumns(x, w, group, win)), [N, M, ...win.out])
}

/** cols[n, g, :, ·] = Im2Col of image n's channels in group g: [N, G, Cg·∏kernel, ∏out]. */
function groupColumns(x: Var, w: Var, group: number, win: Window): Var {
  const [N, C, ...spatial] = x.shape as number[]
  const planes = reshape(x, [N! * group, C! / group, ...spatial])
  return reshape(im2col(planes, win), [N!, group, w.shape[1]! * product(win.kernel), product(win.out)])
}

/** W as [G, M/G, Cg·∏kernel]: one weight matrix per group. */
const groupWeights = (w: Var, group: number): Var => reshape(w, [group, w.shape[0]! / group, w.shape[1]! * product(w.shape.slice(2))])

// y = convGroups(x, W);  dW[g] = Σₙ G[n,g]·cols[n,g]ᵀ,  dx = Col2Im(W[g]ᵀ·G[n,g])  (G, cols per image n and group g)
const ConvWindows: Primitive = {
  name: 'ConvWindows',
  // float32 2-D: one WebAssembly kernel; otherwise the formula, on Im2Col and MatMul
  forward: ([x, w], a) => {
    const [group, win] = [a['group'] as number, winAttr(a)]
    return [convWasmKernel(x!, w!, win, group) ?? noGrad(() => convGroups(constant(x!), constant(w!), group, win).value)]
  },
  backward: ([x, w], _y, [g], a) => {
    const [group, win] = [a['group'] as number, winAttr(a)]
    const [N, C, ...spatial] = x!.shape as number[]
    const gy = reshape(g!, [N!, group, w!.shape[0]! / group, product(win.out)])
    // each side only when asked for: training usually wants dW alone, and dx costs a product and a Col2Im
    const dw = w!.requiresGrad ? reshape(reduceSum(matmul(gy, transpose(groupColumns(x!, w!, group, win), [0, 1, 3, 2])), [0], false), w!.shape) : undefined
    if (!x!.requiresGrad) return [undefined, dw]
    const dcols = reshape(matmul(transpose(groupWeights(w!, group), [0, 2, 1]), gy), [N! * group, C! / group, product(win.kernel), product(win.out)])
    return [reshape(apply1(Col2Im, [dcols], { window: win, inputShape: [N! * group, C! / group, ...spatial] }), x!.shape), dw]
  },
}

// Y = W ⋆ X + B  (N×C×spatial in 1-D, 2-D or 3-D, weights [M, C/group, k1, …]; groups convolve disjoint channel slices)
export const Conv: Composite = {
  name: 'Conv',
  compose: ([x, w, b], attrs) => {
    if (x!.shape.length < 3 || x!.shape.length > 5 || w!.shape.length !== x!.shape.length) {
      throw new Error(`1-D, 2-D or 3-D convolution: X ${fmtShape(x!.shape)} and W ${fmtShape(w!.shape)} must have the same rank, 3 to 5`)
    }
    const group = typeof attrs['group'] === 'number' ? (attrs['group'] as number) : 1
    const [M, Cg] = w!.shape as [number, number]
    const k = kernelAttr(attrs)
    if (k && k.join() !== w!.shape.slice(2).join()) throw new Error(`kernel_shape ${fmtShape(k)} does not match weight shape ${fmtShape(w!.shape)}`)
    if (x!.shape[1] !== Cg * group || M % group !== 0) {
      throw new Error(`X has ${x!.shape[1]} channels but W ${fmtShape(w!.shape)} with group ${group} expects ${Cg * group} (and M divisible by group)`)
    }
    const win = windowOf('Conv', x!.shape.slice(2), w!.shape.slice(2), attrs)
    const y = apply1(ConvWindows, [x!, w!], { window: win, group })
    return [b ? add(y, reshape(b, [1, M, ...x!.shape.slice(2).map(() => 1)])) : y]
  },
}

/** Windows of x as [N, C, ∏k, ∏out] → reduced over the window by `reduce` → [N, C, ...out]. */
function pool(op: string, x: Var, attrs: Attrs, padValue: number, reduce: (cols: Var) => Var): Var {
  const k = kernelAttr(attrs)
  if (!k) throw new Error(`${op}: kernel_shape is required`)
  const win = windowOf(op, x.shape.slice(2), k, attrs)
  const [N, C] = x.shape as [number, number]
  return reshape(reduce(im2col(x, win, padValue)), [N, C, ...win.out])
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
        ? constant(Tensor.scalar(x!.dtype, product(kernelAttr(attrs)!)))
        : pool('AveragePool', constant(Tensor.full(x!.dtype, x!.shape, 1)), attrs, 0, (cols) => reduceSum(cols, [2], false))
    return [div(sum, count)]
  },
}

const spatialAxes = (x: Var) => x.shape.slice(2).map((_, i) => i + 2)

// Y[n,c,1,…] = mean over the spatial dims
export const GlobalAveragePool: Composite = {
  name: 'GlobalAveragePool',
  compose: ([x]) => [reduceMean(x!, spatialAxes(x!), true)],
}

// Y[n,c,1,…] = max over the spatial dims
export const GlobalMaxPool: Composite = {
  name: 'GlobalMaxPool',
  compose: ([x]) => [reduceMax(x!, spatialAxes(x!), true)],
}
