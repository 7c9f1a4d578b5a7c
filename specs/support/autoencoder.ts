// Autoencoders: data with a known principal subspace, the float64 eigendecomposition it is judged
// against (Jacobi, exact to rounding for these small matrices), principal angles, and linear and deep
// autoencoders trained by the harness's SGD on the engine's gradients.
import { perClaim, type ClaimContext } from '../../harness/claim.ts'
import type { TensorData } from '../../contract/types.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { mlp, mseLoss, weights, gaussian } from '../../harness/layers.ts'
import { Rng } from '../../contract/rng.ts'
import { td, values } from '../../harness/tensors.ts'
import { trainCompiled } from '../../harness/train.ts'

/** Eigenvalues (descending) and eigenvectors (rows) of a symmetric matrix, by cyclic Jacobi rotations. */
export function symmetricEigen(A: number[][]): { values: number[]; vectors: number[][] } {
  const n = A.length
  const a = A.map((r) => [...r])
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)))
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2
    if (off < 1e-30) break
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p]![q]!) < 1e-300) continue
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * a[p]![q]!)
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const [c, s] = [1 / Math.sqrt(t * t + 1), t / Math.sqrt(t * t + 1)]
        for (let k = 0; k < n; k++) {
          const [akp, akq] = [a[k]![p]!, a[k]![q]!]
          a[k]![p] = c * akp - s * akq
          a[k]![q] = s * akp + c * akq
        }
        for (let k = 0; k < n; k++) {
          const [apk, aqk] = [a[p]![k]!, a[q]![k]!]
          a[p]![k] = c * apk - s * aqk
          a[q]![k] = s * apk + c * aqk
        }
        for (let k = 0; k < n; k++) {
          const [vkp, vkq] = [v[k]![p]!, v[k]![q]!]
          v[k]![p] = c * vkp - s * vkq
          v[k]![q] = s * vkp + c * vkq
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j]![j]! - a[i]![i]!)
  return { values: order.map((i) => a[i]![i]!), vectors: order.map((i) => v.map((row) => row[i]!)) }
}

/** Orthonormal rows spanning the rows of M (Gram–Schmidt). */
function orthonormalRows(M: number[][]): number[][] {
  const out: number[][] = []
  for (const row of M) {
    const r = [...row]
    for (const q of out) {
      const d = r.reduce((s, x, i) => s + x * q[i]!, 0)
      r.forEach((_, i) => (r[i] = r[i]! - d * q[i]!))
    }
    const norm = Math.hypot(...r)
    if (norm > 1e-12) out.push(r.map((x) => x / norm))
  }
  return out
}

/** The largest principal angle (radians) between the row spaces of U and V (both k × d). */
export function largestPrincipalAngle(U: number[][], V: number[][]): number {
  const [Qu, Qv] = [orthonormalRows(U), orthonormalRows(V)]
  if (Qu.length < Qv.length) return Math.PI / 2 // a collapsed decoder spans less than the subspace
  const M = Qu.map((u) => Qv.map((v) => u.reduce((s, x, i) => s + x * v[i]!, 0)))
  // singular values of M are the cosines of the principal angles: the eigenvalues of MᵀM
  const MtM = Qv.map((_, i) => Qv.map((__, j) => M.reduce((s, row) => s + row[i]! * row[j]!, 0)))
  const smallest = Math.min(...symmetricEigen(MtM).values)
  return Math.acos(Math.min(1, Math.sqrt(Math.max(0, smallest))))
}

/** n points in d dimensions with a covariance of known, well separated eigenvalues, centred. */
export function gaussianData(rng: Rng, n: number, spectrum: number[]): number[][] {
  const d = spectrum.length
  // a random rotation (QR of a Gaussian matrix) applied to independent coordinates of the given variances
  const R = orthonormalRows(Array.from({ length: d }, () => Array.from({ length: d }, () => rng.normal())))
  const pts = Array.from({ length: n }, () => {
    const z = spectrum.map((s) => rng.normal(0, Math.sqrt(s)))
    return R.map((_, j) => z.reduce((acc, zi, i) => acc + zi * R[i]![j]!, 0))
  })
  const mean = Array.from({ length: d }, (_, j) => pts.reduce((s, p) => s + p[j]!, 0) / n)
  return pts.map((p) => p.map((x, j) => x - mean[j]!))
}

/** PCA of centred points: the top-k directions and the mean squared reconstruction error of the best rank-k projection. */
export function pca(points: number[][], k: number): { top: number[][]; error: number } {
  const [n, d] = [points.length, points[0]!.length]
  const C = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => points.reduce((s, p) => s + p[i]! * p[j]!, 0) / n))
  const { values: ev, vectors } = symmetricEigen(C)
  return { top: vectors.slice(0, k), error: ev.slice(k).reduce((s, v) => s + v, 0) / d }
}

/** An autoencoder d → … → k → … → d (no activation on the code and the output) under MSE, compiled once per claim. */
export function autoencoder(ctx: ClaimContext, sizes: number[], n: number) {
  return perClaim(ctx, `autoencoder/${sizes}/${n}`, async () => {
    const build = (rng: Rng) => {
      const g = new GraphBuilder(ctx.dtype)
      const x = g.input('x', [n, sizes[0]!])
      const linear = sizes.length === 3
      // the linear one: two bias-free matrices (the classical result's setting); the deep one: tanh MLP halves
      let out: string
      if (linear) {
        const W1 = g.param('W1', weights(ctx.dtype, rng, sizes[0]!, sizes[1]!, gaussian(0.1)))
        const W2 = g.param('W2', weights(ctx.dtype, rng, sizes[1]!, sizes[2]!, gaussian(0.1)))
        out = g.op('MatMul', [g.op('MatMul', [x, W1]), W2])
      } else {
        const k = sizes.indexOf(Math.min(...sizes))
        const enc = mlp(g, x, sizes.slice(0, k + 1), { act: 'Tanh', outAct: 'Identity', rng, prefix: 'enc' })
        out = mlp(g, enc.out, sizes.slice(k), { act: 'Tanh', outAct: 'Identity', rng, prefix: 'dec' }).out
      }
      return g.output(mseLoss(g, out, x))
    }
    const graph = build(new Rng(0)).build()
    const loss = graph.outputs[0]!
    const c = await ctx.engine.compile(graph)
    return {
      fit: async (points: number[][], rng: Rng, lr: number, steps: number) => {
        const feeds = { x: td(ctx.dtype, [n, sizes[0]!], points.flat()) }
        const r = await trainCompiled(c, { feeds, params: build(rng).paramValues(), loss, lr, steps, curveEvery: 1e9 })
        return { initial: r.losses[0]!, final: r.finalLoss, params: r.params }
      },
    }
  })
}

/** The decoder's rows (its column space, transposed) of a trained linear autoencoder. */
export const decoderRows = (params: Record<string, TensorData>, k: number, d: number): number[][] => {
  const W2 = values(params['W2']!)
  return Array.from({ length: k }, (_, i) => W2.slice(i * d, (i + 1) * d))
}

/** n points on a half circle of radius 1 (u seeded, uniform), a curve no line through the data can follow. */
export function halfCircle(rng: Rng, n: number): number[][] {
  const pts = Array.from({ length: n }, () => {
    const u = Math.PI * rng.next()
    return [Math.cos(u), Math.sin(u)]
  })
  const mean = [0, 1].map((j) => pts.reduce((s, p) => s + p[j]!, 0) / n)
  return pts.map((p) => p.map((x, j) => x - mean[j]!))
}
