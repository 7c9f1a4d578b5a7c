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
  const r = await c.run({ x: td(ctx.dtype, [n, d], tokens), ...g.paramValues() })
  return { out: values(r[out]!), weights: values(r[weights]!), params, expected }
}

const matmul = (a: number[], b: number[], n: number, k: number, m: number) =>
  Array.from({ length: n * m }, (_, i) => Array.from({ length: k }, (_, t) => a[Math.floor(i / m) * k + t]! * b[t * m + (i % m)]!).reduce((x, y) => x + y, 0))

claim(
  {
    id: 'attention.no-extra-parameters', kind: 'exact', expect: 'confirmed', source: '001', ops: OPS,
    quote: '如何在不增加参数的情况下扩展一个系统的记忆容量和复杂度',
    reading: 'Scaled dot-product self-attention has 3·d² parameters whatever the number of tokens n (n = 1…16), and each query’s attention weights are a probability distribution over the n tokens (positive, summing to 1) equal to softmax(q·kᵀ/√d) computed in float64.',
  },
  async (ctx) => {
    const counts = new Set<number>()
    await property(ctx, fc.record({ n: fc.integer({ min: 1, max: 16 }), seed: fc.nat() }), async (p) => {
      const d = 4
      const tokens = values(randomTensor(new Rng(p.seed + 1), ctx.dtype, [p.n, d], -2, 2))
      const r = await attend(ctx, tokens, p.n, d, 7)
      counts.add(r.params)
      expectClose(r.weights, r.expected, { what: 'attention weights', oracle: 'softmax(QKᵀ/√d) in float64', tol: tolerance(ctx.dtype, { reduction: d }), replay: ctx.replay })
      expectThat(r.params === 3 * d * d, `attention over ${p.n} tokens has ${r.params} parameters`, ctx.replay)
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
