// Deep ReLU stacks under an engine's initializers, and the symmetry experiment.
import type { ClaimContext } from '../../harness/claim.ts'
import type { InitRule } from '../../contract/types.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { mseLoss } from '../../harness/layers.ts'
import type { Rng } from '../../contract/rng.ts'
import { randomTensor, td, values } from '../../harness/tensors.ts'
import { trainCompiled } from '../../harness/train.ts'
import { patterns, XOR } from './capacity.ts'

const [DEPTH, WIDTH, BATCH] = [20, 128, 32]

/** E[h²] after DEPTH ReLU layers / E[x²] (the second moment He's derivation preserves), weights from the engine's initializer. */
export async function reluStackVariance(ctx: ClaimContext, rule: InitRule, rng: Rng): Promise<number> {
  const g = new GraphBuilder(ctx.dtype)
  let h = g.input('x', [BATCH, WIDTH])
  for (let l = 0; l < DEPTH; l++) {
    const W = ctx.engine.initialize!({ rule, shape: [WIDTH, WIDTH], seed: rng.int(2 ** 31), params: rule === 'gaussian' ? { std: 0.01 } : {} })
    const Wd = W.dtype === ctx.dtype ? W : { ...W, dtype: ctx.dtype, data: ctx.dtype === 'float32' ? Float32Array.from(W.data as Float64Array) : Float64Array.from(W.data as Float32Array) }
    h = g.op('Relu', [g.op('MatMul', [h, g.const(`W${l}`, Wd)])])
  }
  const x = td(ctx.dtype, [BATCH, WIDTH], Array.from({ length: BATCH * WIDTH }, () => rng.normal()))
  const c = await ctx.engine.compile(g.output(h).build())
  const out = values((await c.run({ x }))[h]!)
  const meanSquare = (v: number[]) => v.reduce((a, b) => a + b * b, 0) / v.length
  return meanSquare(out) / meanSquare(values(x))
}

/** Spread between hidden units' incoming weights after 100 SGD steps, how far the weights moved and how much the loss fell: from equal and from random weights. */
export async function symmetryAfterTraining(ctx: ClaimContext) {
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [4, 2])
  const y = g.input('y', [4, 1])
  const W1 = g.param('W1', td(ctx.dtype, [2, 3], [0.3, 0.3, 0.3, -0.2, -0.2, -0.2]))
  const b1 = g.param('b1', td(ctx.dtype, [3], [0.1, 0.1, 0.1]))
  const W2 = g.param('W2', td(ctx.dtype, [3, 1], [0.5, 0.5, 0.5]))
  const b2 = g.param('b2', td(ctx.dtype, [1], [0]))
  const out = g.op('Gemm', [g.op('Tanh', [g.op('Gemm', [x, W1, b1])]), W2, b2])
  const loss = mseLoss(g, out, y)
  const c = await ctx.engine.compile(g.output(loss).build())
  const feeds = { x: td(ctx.dtype, [4, 2], patterns(2).flat()), y: td(ctx.dtype, [4, 1], XOR) }
  /** Largest difference between the columns of W1 (each column is one hidden unit's incoming weights). */
  const spread = (W: number[]) => Math.max(...[0, 1].flatMap((r) => [1, 2].map((k) => Math.abs(W[r * 3 + k]! - W[r * 3]!))))
  const run = async (params: Record<string, ReturnType<typeof td>>) => {
    const r = await trainCompiled(c, { feeds, params, loss, lr: 0.2, steps: 100 }) // lr 0.5 was chaotic: float32 and float64 runs parted, and the loss rose on some seeds
    const [before, after] = [values(params['W1']!), values(r.params['W1']!)]
    const sig = (v: number) => Number(v.toPrecision(3))
    return { spread: spread(after), spreadChange: sig(Math.abs(spread(after) - spread(before))), moved: sig(Math.max(...after.map((v, i) => Math.abs(v - before[i]!)))), lossDrop: sig(r.losses[0]! - r.finalLoss) }
  }
  const equal = await run(g.paramValues())
  // random weights on the same scale as the equal ones (|w| ≤ 0.5), so the two runs differ in symmetry
  // only: weights drawn from ±1 made the random run diverge on some seeds (seed 8)
  const random = await run({ ...g.paramValues(), W1: randomTensor(ctx.rng, ctx.dtype, [2, 3], -0.5, 0.5), W2: randomTensor(ctx.rng, ctx.dtype, [3, 1], -0.5, 0.5) })
  return { equal, random }
}
