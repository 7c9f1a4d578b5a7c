// Loss graphs (from harness/layers.ts) on a batch of logits/predictions and targets, and the float64
// closed forms they are compared with.
import type { ClaimContext } from '../../harness/claim.ts'
import { requireGrad } from '../../harness/claim.ts'
import type { FloatDType } from '../../contract/types.ts'
import { evaluate } from '../../harness/evaluate.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { bceWithLogits, mseLoss, softmaxCrossEntropy } from '../../harness/layers.ts'
import { Rng } from '../../contract/rng.ts'
import { td, values } from '../../harness/tensors.ts'
import { fed, softmax64 } from './activation.ts'

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
  /** each example alone, as a batch of one */
  examples(): LossCase[]
}

function make(dtype: FloatDType, kind: LossKind, n: number, d: number, raw: number[], rawTargets: number[]): LossCase {
  // closed forms must use the values the engine sees: float32 feeds are rounded
  const [logits, targets] = [fed(dtype, raw), fed(dtype, rawTargets)]
  const rows = (v: number[]) => Array.from({ length: n }, (_, r) => v.slice(r * d, (r + 1) * d))
  return {
    dtype, kind, n, d, logits, targets,
    permuted(seed) {
      const order = new Rng(seed).shuffle([...Array(n).keys()])
      return make(dtype, kind, n, d, order.flatMap((r) => rows(logits)[r]!), order.flatMap((r) => rows(targets)[r]!))
    },
    duplicated: () => make(dtype, kind, 2 * n, d, [...logits, ...logits], [...targets, ...targets]),
    examples: () => rows(logits).map((z, r) => make(dtype, kind, 1, d, z, rows(targets)[r]!)),
  }
}

/** A batch with the given logits (or predictions) and targets, row-major [n, d]. */
export const fixedCase = make

/** A random batch: logits uniform in ±scale; targets in ±2 (mse), {0, 1} (bce) or one-hot rows. */
export function lossCase(dtype: FloatDType, kind: LossKind, n: number, d: number, seed: number, scale = 3): LossCase {
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

function graphOf(ctx: ClaimContext, c: LossCase) {
  const g = new GraphBuilder(c.dtype)
  const z = g.input('z', [c.n, c.d])
  const y = g.input('y', [c.n, c.d])
  const loss = c.kind === 'mse' ? mseLoss(g, z, y) : c.kind === 'bce' ? bceWithLogits(g, z, y, ctx.engine) : softmaxCrossEntropy(g, z, y)
  return { graph: g.output(loss).build(), loss, feeds: { z: td(c.dtype, [c.n, c.d], c.logits), y: td(c.dtype, [c.n, c.d], c.targets) } }
}

/** The loss alone: a forward pass, so it runs on forward-only engines too. */
export async function lossOf(ctx: ClaimContext, c: LossCase): Promise<number> {
  const { graph, loss, feeds } = graphOf(ctx, c)
  return (await evaluate(ctx.engine, graph, feeds))[loss]!.v[0]!
}

/** The loss and its gradient w.r.t. the logits/predictions (skips the claim on a forward-only engine). */
export async function lossGrad(ctx: ClaimContext, c: LossCase): Promise<{ value: number; grad: number[] }> {
  const { graph, loss, feeds } = graphOf(ctx, c)
  const compiled = await ctx.engine.compile(graph)
  try {
    requireGrad(compiled)
    const r = await compiled.valueAndGrad(feeds, loss, ['z'])
    return { value: r.value, grad: values(r.grads['z']!) }
  } finally {
    compiled.dispose?.()
  }
}

const softplus = (t: number) => Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)))
export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))

/** −[y·log σ(z) + (1−y)·log(1−σ(z))] averaged, written with log σ(z) = −softplus(−z) so it is finite for any z. */
export const bce64 = (c: LossCase) => c.logits.reduce((s, z, i) => s + c.targets[i]! * softplus(-z) + (1 - c.targets[i]!) * softplus(z), 0) / c.logits.length

/** softmax(z) of every row, flattened. */
export const softmaxRows64 = (c: LossCase): number[] => Array.from({ length: c.n }, (_, r) => softmax64(c.logits.slice(r * c.d, (r + 1) * c.d))).flat()

/** mean over rows of logsumexp(z) − Σ onehot·z. */
export function softmaxCe64(c: LossCase): number {
  let total = 0
  for (let r = 0; r < c.n; r++) {
    const z = c.logits.slice(r * c.d, (r + 1) * c.d)
    const m = Math.max(...z)
    const lse = m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0))
    total += z.reduce((a, v, j) => a + c.targets[r * c.d + j]! * (lse - v), 0)
  }
  return total / c.n
}
