// The scaffolding of a gradient check: the scalar Σₖ Σ rₖ ⊙ yₖ of an op's outputs yₖ with fixed weights
// rₖ, written with ops the engine has. It is not what a claim is about, so an engine without Mul and
// ReduceSum must not lose the check of the op under test: the same sum is written with Gemm (rows of
// r against rows of y, accumulated through Gemm's C) or, for one batch-1 image, as a Conv whose kernel
// is r. Each recipe is the exact same function of y (no approximation), so the verdict cannot depend
// on which one an engine gets; the report says which one was used.
import type { TensorData } from '../contract/types.ts'
import type { GraphBuilder } from './graph_builder.ts'
import { lacks, probe, type Supports } from './supports.ts'
import { td, values } from './tensors.ts'
import { Unsupported } from './unsupported.ts'

export interface Weighted {
  name: string
  shape: number[]
  /** the weights r, as many as y has elements (row-major) */
  r: TensorData | number[]
}

const RECIPES = ['Mul+ReduceSum', 'Gemm', 'Conv'] as const
export type Recipe = (typeof RECIPES)[number]

/** Why a recipe cannot write the sum of these outputs on this engine (undefined: it can). */
function obstacle(recipe: Recipe, ys: Weighted[], engine: Supports): string | undefined {
  if (recipe === 'Mul+ReduceSum') return lacks(engine, probe('Mul', 2), probe('ReduceSum', 1, { keepdims: 0 }), ...(ys.length > 1 ? [probe('Sum', ys.length)] : []))
  if (recipe === 'Gemm') return ys.some((y) => y.shape.length !== 2 || y.shape.includes(0)) ? 'an output is not a non-empty matrix' : lacks(engine, probe('Gemm', 2, { transA: 1 }), probe('Gemm', 3))
  return ys.length !== 1 || ys[0]!.shape.length !== 4 || ys[0]!.shape[0] !== 1 ? 'not a single batch-1 image (N, C, H, W)' : lacks(engine, probe('Conv', 2, { kernel_shape: ys[0]!.shape.slice(2) }))
}

/** The first recipe the engine can run for these outputs, or why none can. */
export function recipeFor(ys: Weighted[], engine: Supports): { recipe: Recipe } | { reason: string } {
  const why: string[] = []
  for (const recipe of RECIPES) {
    const o = obstacle(recipe, ys, engine)
    if (o === undefined) return { recipe }
    why.push(`${recipe}: ${o}`)
  }
  return { reason: `no way to sum the outputs into a scalar with the engine's ops (${why.join('; ')})` }
}

/** Adds Σₖ Σ rₖ ⊙ yₖ to the graph and returns its name (one element: [] or [1, 1] or [1, 1, …]). */
export function weightedSum(g: GraphBuilder, ys: Weighted[], engine: Supports): { loss: string; recipe: Recipe } {
  const found = recipeFor(ys, engine)
  if ('reason' in found) throw new ScaffoldMissing(found.reason)
  const dtype = g.dtype
  const rOf = (y: Weighted) => (Array.isArray(y.r) ? y.r : values(y.r))
  if (found.recipe === 'Mul+ReduceSum') {
    const terms = ys.map((y) => g.op('ReduceSum', [g.op('Mul', [y.name, g.const('r', td(dtype, y.shape, rOf(y)))])], { keepdims: 0 }))
    return { loss: terms.length > 1 ? g.op('Sum', terms) : terms[0]!, recipe: found.recipe }
  }
  if (found.recipe === 'Conv') {
    const y = ys[0]!
    return { loss: g.op('Conv', [y.name, g.const('r', td(dtype, [1, ...y.shape.slice(1)], rOf(y)))], { kernel_shape: y.shape.slice(2) }), recipe: found.recipe }
  }
  // Σᵢⱼ rᵢⱼ yᵢⱼ = Σᵢ (eᵢᵀ y) rᵢᵀ: row i of y picked by a one-hot column, then dotted with row i of r
  let acc: string | undefined
  for (const y of ys) {
    const [m, n] = y.shape as [number, number]
    const r = rOf(y)
    for (let i = 0; i < m; i++) {
      const e = g.const('e', td(dtype, [m, 1], Array.from({ length: m }, (_, k) => (k === i ? 1 : 0))))
      const row = g.op('Gemm', [e, y.name], { transA: 1 })
      const ri = g.const('r', td(dtype, [n, 1], r.slice(i * n, (i + 1) * n)))
      acc = g.op('Gemm', acc ? [row, ri, acc] : [row, ri])
    }
  }
  return { loss: acc!, recipe: found.recipe }
}

/** The engine has none of the ops the scaffold needs: the check cannot be written for it (a skip, with why). */
export class ScaffoldMissing extends Unsupported {
  override name = 'ScaffoldMissing'
}
