// Loss graphs (from harness/layers.ts) on a batch of logits/predictions and targets.
import type { ClaimContext } from '../../harness/claim.ts'
import { requireGrad } from '../../harness/claim.ts'
import type { FloatDType } from '../../harness/contract.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { bceWithLogits, mseLoss, softmaxCrossEntropy } from '../../harness/layers.ts'
import { Rng } from '../../harness/rng.ts'
import { td, values } from '../../harness/tensors.ts'

export type LossKind = 'mse' | 'bce' | 'softmax-ce'

export interface LossCase {
  dtype: FloatDType
  kind: LossKind
  n: number
  d: number
  logits: number[]
  targets: number[]
  permuted(seed: number): LossCase
  duplicated(): LossCase
}

function make(dtype: FloatDType, kind: LossKind, n: number, d: number, logits: number[], targets: number[]): LossCase {
  const rows = (v: number[]) => Array.from({ length: n }, (_, r) => v.slice(r * d, (r + 1) * d))
  return {
    dtype, kind, n, d, logits, targets,
    permuted(seed) {
      const order = new Rng(seed).shuffle([...Array(n).keys()])
      return make(dtype, kind, n, d, order.flatMap((r) => rows(logits)[r]!), order.flatMap((r) => rows(targets)[r]!))
    },
    duplicated: () => make(dtype, kind, 2 * n, d, [...logits, ...logits], [...targets, ...targets]),
  }
}

/** A random batch; `scale` spreads the logits; `given` fixes them (and the targets) instead. */
export function lossCase(dtype: FloatDType, kind: LossKind, n: number, d: number, seed: number, scale = 3, given?: { logits: number[]; targets: number[] }): LossCase {
  if (given) return make(dtype, kind, n, d, given.logits, given.targets)
  const rng = new Rng(seed)
  const logits = Array.from({ length: n * d }, () => scale * rng.uniform(-1, 1))
  const targets =
    kind === 'mse' ? logits.map(() => rng.uniform(-2, 2))
    : kind === 'bce' ? logits.map(() => rng.int(2))
    : Array.from({ length: n }, () => {
        const k = rng.int(d)
        return Array.from({ length: d }, (_, j) => (j === k ? 1 : 0))
      }).flat()
  return make(dtype, kind, n, d, logits, targets)
}

function graphOf(c: LossCase) {
  const g = new GraphBuilder(c.dtype)
  const z = g.input('z', [c.n, c.d])
  const y = g.input('y', [c.n, c.d])
  const loss = c.kind === 'mse' ? mseLoss(g, z, y) : c.kind === 'bce' ? bceWithLogits(g, z, y) : softmaxCrossEntropy(g, z, y)
  return { graph: g.output(loss).build(), loss, feeds: { z: td(c.dtype, [c.n, c.d], c.logits), y: td(c.dtype, [c.n, c.d], c.targets) } }
}

export async function lossOf(ctx: ClaimContext, c: LossCase): Promise<number> {
  const { graph, loss, feeds } = graphOf(c)
  const compiled = await ctx.engine.compile(graph)
  try {
    return values((await compiled.run(feeds))[loss]!)[0]!
  } finally {
    compiled.dispose?.()
  }
}

/** The loss and its gradient w.r.t. the logits/predictions. */
export async function lossGrad(ctx: ClaimContext, c: LossCase): Promise<{ value: number; grad: number[] }> {
  const { graph, loss, feeds } = graphOf(c)
  const compiled = await ctx.engine.compile(graph)
  try {
    requireGrad(compiled)
    const r = await compiled.valueAndGrad(feeds, loss, ['z'])
    return { value: r.value, grad: values(r.grads['z']!) }
  } finally {
    compiled.dispose?.()
  }
}
