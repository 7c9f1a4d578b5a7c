// CLAIMS.md §11 — attention.
import fc from 'fast-check'
import { expectClose, expectThat, tolerance } from '../harness/assert.ts'
import { claim } from '../harness/claim.ts'
import { GraphBuilder } from '../harness/graph_builder.ts'
import { selfAttention } from '../harness/layers.ts'
import { property } from '../harness/property.ts'
import { Rng } from '../contract/rng.ts'
import { randomTensor, td, values } from '../harness/tensors.ts'
import type { ClaimContext } from '../harness/claim.ts'
import type { TensorData } from '../contract/types.ts'

const OPS = ['MatMul', 'Transpose', 'Mul', 'Softmax']

/** Self-attention on n tokens of width d with seeded weights; returns outputs, weights and the parameter count. */
async function attend(ctx: ClaimContext, tokens: number[], n: number, d: number, seed: number) {
  const rng = new Rng(seed)
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [n, d])
  const [Wq, Wk, Wv] = ['Wq', 'Wk', 'Wv'].map((w) => g.param(w, randomTensor(rng, ctx.dtype, [d, d])))
  const { out, weights } = selfAttention(g, x, Wq!, Wk!, Wv!, d)
  const params = Object.values(g.paramValues()).reduce((s, t) => s + t.data.length, 0)
  const [q, k] = [Wq!, Wk!].map((w) => matmul(tokens, values(g.paramValues()[w]!), n, d, d))
  const expected = Array.from({ length: n }, (_, i) => {
    const sc = Array.from({ length: n }, (_, j) => q!.slice(i * d, i * d + d).reduce((a, v, t) => a + v * k![j * d + t]!, 0) / Math.sqrt(d))
    const m = Math.max(...sc)
    const e = sc.map((v) => Math.exp(v - m))
    return e.map((v) => v / e.reduce((a, b) => a + b, 0))
  }).flat()
  const c = await ctx.engine.compile(g.output(out, weights).build())
  const feeds: Record<string, TensorData> = { x: td(ctx.dtype, [n, d], tokens), ...g.paramValues() }
  const r = await c.run(feeds)
  const base = values(r[out]!)
  // the parameters that take part: nudging each entry of Wq, Wk, Wv by 1 must move the output (on the
  // tokens scaled by 0.5: scores of order 1, where the softmax is neither flat nor saturated and every weight shows)
  let used = 0
  const visible = ctx.dtype === 'float32' ? 1e-5 : 1e-9 // beyond rounding: a change the dtype cannot produce by itself
  const calm = { ...feeds, x: td(ctx.dtype, [n, d], tokens.map((t) => 0.5 * t)) }
  const calmOut = values((await c.run(calm))[out]!)
  for (const w of [Wq!, Wk!, Wv!]) {
    const v = values(feeds[w]!)
    for (let i = 0; i < v.length; i++) {
      const moved = await c.run({ ...calm, [w]: td(ctx.dtype, [d, d], v.map((u, j) => (j === i ? u + 1 : u))) })
      if (values(moved[out]!).some((y, j) => Math.abs(y - calmOut[j]!) > visible * (1 + Math.abs(calmOut[j]!)))) used++
    }
  }
  return { out: base, weights: values(r[weights]!), params, used, expected }
}

const matmul = (a: number[], b: number[], n: number, k: number, m: number) =>
  Array.from({ length: n * m }, (_, i) => Array.from({ length: k }, (_, t) => a[Math.floor(i / m) * k + t]! * b[t * m + (i % m)]!).reduce((x, y) => x + y, 0))

claim(
  {
    id: 'attention.no-extra-parameters', kind: 'exact', expect: 'confirmed', source: '001', ops: OPS,
    quote: '如何在不增加参数的情况下扩展一个系统的记忆容量和复杂度',
    reading: 'Scaled dot-product self-attention has 3·d² parameters whatever the number of tokens n (n = 1…16): Wq, Wk and Wv are the graph’s only parameters and, through the engine, nudging any one of their 3·d² entries moves the output (each takes part; for n = 1 the softmax is constant, so Wq and Wk cannot, and only Wv’s d² are expected); and each query’s attention weights are a probability distribution over the n tokens (positive, summing to 1) equal to softmax(q·kᵀ/√d) computed in float64.',
  },
  async (ctx) => {
    const counts = new Set<number>()
    await property(ctx, fc.record({ n: fc.integer({ min: 1, max: 16 }), seed: fc.nat() }), async (p) => {
      const d = 4
      const tokens = values(randomTensor(new Rng(p.seed + 1), ctx.dtype, [p.n, d], -2, 2))
      const r = await attend(ctx, tokens, p.n, d, 7)
      counts.add(r.params)
      expectClose(r.weights, r.expected, { what: 'attention weights', oracle: 'softmax(QKᵀ/√d) in float64', tol: tolerance(ctx.dtype, { reduction: d }), replay: ctx.replay })
      const expected = p.n === 1 ? d * d : 3 * d * d
      expectThat(r.params === 3 * d * d && r.used === expected, `attention over ${p.n} tokens: ${r.used} of its ${r.params} weight entries move the output, expected ${expected}`, ctx.replay)
      for (let q = 0; q < p.n; q++) {
        const row = r.weights.slice(q * p.n, (q + 1) * p.n)
        expectThat(row.every((w) => w > 0), `attention row ${q} has a non-positive weight`, ctx.replay)
        expectClose(row.reduce((a, b) => a + b, 0), 1, { what: `Σ attention weights of query ${q}`, oracle: '1', tol: tolerance(ctx.dtype, { reduction: p.n }), replay: ctx.replay })
      }
    }, 30)
    ctx.evidence['parameterCounts'] = [...counts]
    return 'confirmed'
  },
)

claim(
  {
    id: 'attention.permutation-equivariance', kind: 'metamorphic', expect: 'confirmed', source: '001', ops: OPS,
    quote: '可学习的指针结构',
    reading: 'Self-attention without positional information is permutation-equivariant: attending over permuted tokens gives the permuted outputs (fast-check over n ≤ 10, permutations and weights).',
  },
  async (ctx) => {
    await property(ctx, fc.record({ n: fc.integer({ min: 2, max: 10 }), seed: fc.nat() }), async (p) => {
      const d = 3
      const rng = new Rng(p.seed)
      const tokens = values(randomTensor(rng, ctx.dtype, [p.n, d], -2, 2))
      const perm = rng.shuffle([...Array(p.n).keys()])
      const permuted = perm.flatMap((i) => tokens.slice(i * d, (i + 1) * d))
      const [a, b] = [await attend(ctx, tokens, p.n, d, p.seed), await attend(ctx, permuted, p.n, d, p.seed)]
      expectClose(b.out, perm.flatMap((i) => a.out.slice(i * d, (i + 1) * d)), { what: 'attention(πx)', oracle: 'π(attention(x))', tol: tolerance(ctx.dtype, { reduction: p.n * d }), replay: ctx.replay })
    }, 40)
    return 'confirmed'
  },
)
