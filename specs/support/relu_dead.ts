// A dead ReLU unit: biased so its pre-activation is negative on every input of the batch.
import type { ClaimContext } from '../../harness/claim.ts'
import { requireGrad } from '../../harness/claim.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { Rng } from '../../harness/rng.ts'
import { randomTensor, td, values } from '../../harness/tensors.ts'

export async function deadUnitGrads(ctx: ClaimContext, n: number, d: number, seed: number) {
  const rng = new Rng(seed)
  const X = randomTensor(rng, ctx.dtype, [n, d], -1, 1)
  const w = randomTensor(rng, ctx.dtype, [d, 1], -1, 1)
  // |x·w| ≤ Σ|w| since |x| ≤ 1, so this bias keeps every pre-activation below −0.1
  const bias = -values(w).reduce((s, v) => s + Math.abs(v), 0) - 0.1 - rng.next()
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [n, d])
  const W = g.input('w', [d, 1])
  const b = g.input('b', [1])
  const h = g.op('Relu', [g.op('Gemm', [x, W, b])])
  const loss = g.op('ReduceSum', [g.op('Mul', [h, g.const('v', randomTensor(rng, ctx.dtype, [n, 1]))])], { keepdims: 0 })
  const c = await ctx.engine.compile(g.output(loss).build())
  try {
    requireGrad(c)
    const r = await c.valueAndGrad({ x: X, w, b: td(ctx.dtype, [1], [bias]) }, loss, ['w', 'b'])
    return { gw: values(r.grads['w']!), gb: values(r.grads['b']!)[0]! }
  } finally {
    c.dispose?.()
  }
}
