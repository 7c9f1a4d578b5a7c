// Matrix products. MatMul follows numpy (1-D operands promoted, batch dims broadcast); Gemm is the
// 2-D ONNX form alpha·A'·B' + beta·C. Both gradients are matrix products themselves.
import { apply1, constant, scalarLike, type Attrs, type Primitive, type Var } from '../autograd.ts'
import { Tensor, alloc, broadcastShapes, broadcastStrides, fmtShape, sizeOf } from '../tensor.ts'
import { gemmKernel } from './gemm_kernel.ts'
import { forEachIndex } from './kernels.ts'
import { add, mul } from './binary.ts'
import { sumTo } from './reduce.ts'
import { reshape, transpose } from './shape.ts'

/** Shapes of a numpy matmul: promoted operand shapes and the result shape. */
function matmulShapes(as: readonly number[], bs: readonly number[]) {
  if (as.length === 0 || bs.length === 0) throw new Error('MatMul: operands must have rank ≥ 1')
  const ap = as.length === 1 ? [1, as[0]!] : [...as]
  const bp = bs.length === 1 ? [bs[0]!, 1] : [...bs]
  const [m, k] = ap.slice(-2) as [number, number]
  const [k2, n] = bp.slice(-2) as [number, number]
  if (k !== k2) throw new Error(`MatMul: inner dimensions differ: ${fmtShape(as)} × ${fmtShape(bs)}`)
  const batch = broadcastShapes(ap.slice(0, -2), bp.slice(0, -2))
  const out = [...batch, m, n]
  const result = [...batch, ...(as.length === 1 ? [] : [m]), ...(bs.length === 1 ? [] : [n])]
  return { ap, bp, batch, m, k, n, out, result }
}

function matmulKernel(a: Tensor, b: Tensor): Tensor {
  if (a.dtype !== b.dtype) throw new Error(`MatMul: mixed dtypes ${a.dtype}, ${b.dtype}`)
  const s = matmulShapes(a.shape, b.shape)
  const out = alloc(a.dtype, sizeOf(s.out))
  const sa = broadcastStrides(s.ap.slice(0, -2), s.batch)
  const sb = broadcastStrides(s.bp.slice(0, -2), s.batch)
  forEachIndex(s.batch, (i, idx) => {
    let oa = 0
    let ob = 0
    for (let q = 0; q < idx.length; q++) {
      oa += idx[q]! * sa[q]!
      ob += idx[q]! * sb[q]!
    }
    gemmKernel(a.data, oa * s.m * s.k, b.data, ob * s.k * s.n, out, i * s.m * s.n, s.m, s.k, s.n)
  })
  return new Tensor(a.dtype, s.result, out)
}

/** Swap the last two axes. */
const mT = (x: Var): Var => transpose(x, [...x.shape.keys()].map((i, _, all) => (i < all.length - 2 ? i : 2 * all.length - 3 - i)))

// Y = A·B;  dA = G·Bᵀ, dB = Aᵀ·G   (on promoted shapes, then summed over broadcast batch dims)
export const MatMul: Primitive = {
  name: 'MatMul',
  forward: ([a, b]) => [matmulKernel(a!, b!)],
  backward: ([a, b], _y, [g]) => {
    const s = matmulShapes(a!.shape, b!.shape)
    const gp = reshape(g!, s.out)
    const ap = reshape(a!, s.ap)
    const bp = reshape(b!, s.bp)
    const da = sumTo(matmul(gp, mT(bp)), s.ap)
    const db = sumTo(matmul(mT(ap), gp), s.bp)
    return [reshape(da, a!.shape), reshape(db, b!.shape)]
  },
}

const gemmAttrs = (a: Attrs) => ({
  alpha: typeof a['alpha'] === 'number' ? (a['alpha'] as number) : 1,
  beta: typeof a['beta'] === 'number' ? (a['beta'] as number) : 1,
  transA: a['transA'] === 1,
  transB: a['transB'] === 1,
})

// Y = α·A'·B' + β·C  (A' = Aᵀ if transA, B' = Bᵀ if transB; C broadcast to Y)
export const Gemm: Primitive = {
  name: 'Gemm',
  forward: ([A, B, C], attrs) => {
    const { alpha, beta, transA, transB } = gemmAttrs(attrs)
    if (A!.shape.length !== 2 || B!.shape.length !== 2) {
      throw new Error(`Gemm: A and B must be 2-D, got ${fmtShape(A!.shape)} and ${fmtShape(B!.shape)}`)
    }
    const a = constant(A!)
    const b = constant(B!)
    let y = matmul(transA ? mT(a) : a, transB ? mT(b) : b)
    if (alpha !== 1) y = mul(y, scalarLike(y, alpha))
    if (C) {
      const c = constant(C)
      y = add(y, beta === 1 ? c : mul(c, scalarLike(c, beta)))
      if (y.shape.length !== 2) throw new Error(`Gemm: C ${fmtShape(C.shape)} does not broadcast to the product`)
    }
    return [y.value]
  },
  // dA' = α·G·B'ᵀ, dB' = α·A'ᵀ·G, dC = β·G summed to C's shape; transposed back where trans is set
  backward: ([A, B, C], _y, [g], attrs) => {
    const { alpha, beta, transA, transB } = gemmAttrs(attrs)
    const ga = alpha === 1 ? g! : mul(g!, scalarLike(g!, alpha))
    const a = transA ? mT(A!) : A!
    const b = transB ? mT(B!) : B!
    const dA = matmul(ga, mT(b))
    const dB = matmul(mT(a), ga)
    return [
      transA ? mT(dA) : dA,
      transB ? mT(dB) : dB,
      C ? sumTo(beta === 1 ? g! : mul(g!, scalarLike(g!, beta)), C.shape) : undefined,
    ]
  },
}

export const matmul = (a: Var, b: Var): Var => apply1(MatMul, [a, b])
