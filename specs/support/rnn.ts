// Recurrent graphs for the rnn.* claims.
import type { ClaimContext } from '../../harness/claim.ts'
import { requireGrad } from '../../harness/claim.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { weightedSum } from '../../harness/scalarize.ts'
import { Rng } from '../../contract/rng.ts'
import { randomTensor, td, values } from '../../harness/tensors.ts'

const [IN, H] = [4, 8]

/** Gradient of Σ r ⊙ Y_h w.r.t. X, restricted to the first time step. */
async function lastStateGradient(ctx: ClaimContext, cell: 'RNN' | 'LSTM', len: number, rng: Rng): Promise<number[]> {
  const gates = cell === 'RNN' ? 1 : 4
  const a = 1 / Math.sqrt(H)
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [len, 1, IN])
  const W = g.const('W', randomTensor(rng, ctx.dtype, [1, gates * H, IN], -a, a))
  const R = g.const('R', randomTensor(rng, ctx.dtype, [1, gates * H, H], -a, a))
  // LSTM biases: W-bias of the forget gate (order i, o, f, c) set to 1, the standard remedy
  const bias = Array.from({ length: 2 * gates * H }, (_, i) => (cell === 'LSTM' && i >= 2 * H && i < 3 * H ? 1 : 0))
  const B = g.const('B', td(ctx.dtype, [1, 2 * gates * H], bias))
  const [, yh] = g.opN(cell, [x, W, R, B], 2, { hidden_size: H }, cell)
  const { loss: l } = weightedSum(g, [{ name: yh!, shape: [1, 1, H], r: randomTensor(rng, ctx.dtype, [1, 1, H]) }], ctx.engine)
  const c = await ctx.engine.compile(g.output(l).build())
  requireGrad(c)
  const gx = values((await c.valueAndGrad({ x: randomTensor(rng, ctx.dtype, [len, 1, IN]) }, l, ['x'])).grads['x']!)
  return gx.slice(0, IN)
}

export const firstStepGradients = (ctx: ClaimContext, seed: number, len: number) => lastStateGradient(ctx, 'RNN', len, new Rng(seed))

/** Slope of log‖∂h_T/∂x₁‖ against T over T = 4, 8, 16, 32 (least squares); same weights for every T. */
export async function gradDecay(ctx: ClaimContext, cell: 'RNN' | 'LSTM', rng: Rng): Promise<number> {
  const seed = rng.int(2 ** 31)
  const Ts = [4, 8, 16, 32]
  const logs: number[] = []
  for (const T of Ts) {
    const gx = await lastStateGradient(ctx, cell, T, new Rng(seed))
    logs.push(Math.log(Math.hypot(...gx) + 1e-300))
  }
  const mt = Ts.reduce((a, b) => a + b, 0) / Ts.length
  const ml = logs.reduce((a, b) => a + b, 0) / logs.length
  return Ts.reduce((s, T, i) => s + (T - mt) * (logs[i]! - ml), 0) / Ts.reduce((s, T) => s + (T - mt) ** 2, 0)
}
