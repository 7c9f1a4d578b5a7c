// Small Boolean-function experiments: truth tables, sigmoid MLPs trained full-batch by the
// harness's SGD on the engine's gradients, accuracy at threshold 0.5, linear separability.
import { perClaim, type ClaimContext } from '../../harness/claim.ts'
import type { Compiled, FloatDType, TensorData } from '../../contract/types.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { glorotUniform, mlp, mseLoss, type Activation } from '../../harness/layers.ts'
import { Rng } from '../../contract/rng.ts'
import { td, values } from '../../harness/tensors.ts'
import { predict, trainCompiled } from '../../harness/train.ts'

/** All 2^n input patterns, bit i of pattern k = (k >> (n−1−i)) & 1. */
export const patterns = (n: number): number[][] =>
  Array.from({ length: 2 ** n }, (_, k) => Array.from({ length: n }, (_, i) => (k >> (n - 1 - i)) & 1))

/** Truth table of Boolean function number f (bit k of f = output on pattern k). */
export const table = (f: number, n: number): number[] => patterns(n).map((_, k) => (f >> k) & 1)

export const XOR = [0, 1, 1, 0]

export interface Arch {
  sizes: number[] // [in, hidden…, out]
  act?: Activation
  outAct?: Activation
}

export interface Net {
  compiled: Compiled
  x: string
  y: string
  out: string
  loss: string
  hidden: string[]
  init(rng: Rng): Record<string, TensorData>
  dtype: FloatDType
  examples: number
}

/** One compiled network per architecture and batch size, reused across seeds and shared by concurrent trials. */
export const network = (ctx: ClaimContext, arch: Arch, examples: number): Promise<Net> =>
  perClaim(ctx, `capacity/${arch.sizes.join('-')}/${arch.act}/${arch.outAct}/${examples}`, () => compileNetwork(ctx, arch, examples))

async function compileNetwork(ctx: ClaimContext, arch: Arch, examples: number): Promise<Net> {
  const build = (rng: Rng) => {
    const g = new GraphBuilder(ctx.dtype)
    const x = g.input('x', [examples, arch.sizes[0]!])
    const y = g.input('y', [examples, arch.sizes.at(-1)!])
    const { out } = mlp(g, x, arch.sizes, { act: arch.act ?? 'Sigmoid', outAct: arch.outAct ?? 'Sigmoid', rng })
    const hidden = g.build().nodes.filter((n) => n.op === (arch.act ?? 'Sigmoid') && n.outputs[0] !== out).map((n) => n.outputs[0]!)
    const loss = mseLoss(g, out, y)
    return { g: g.output(loss, out, ...hidden), x, y, out, loss, hidden }
  }
  const proto = build(new Rng(0)) // only its structure is used: every fit brings its own seeded init
  return {
    compiled: await ctx.engine.compile(proto.g.build()),
    x: proto.x, y: proto.y, out: proto.out, loss: proto.loss, hidden: proto.hidden,
    init: (rng) => build(rng).g.paramValues(),
    dtype: ctx.dtype,
    examples,
  }
}

export interface Fit {
  params: Record<string, TensorData>
  predictions: number[]
  accuracy: number
  loss: number
  /** the loss before the first step (what a control compares the trained loss with) */
  initialLoss: number
  steps: number
}

export const accuracy = (pred: number[], targets: number[]): number => pred.filter((p, i) => (p > 0.5 ? 1 : 0) === targets[i]).length / targets.length

export const feedsOf = (net: Net, inputs: number[][], targets: number[][]) => ({
  [net.x]: td(net.dtype, [inputs.length, inputs[0]!.length], inputs.flat()),
  [net.y]: td(net.dtype, [targets.length, targets[0]!.length], targets.flat()),
})

/** Full-batch SGD from a seeded init; stops as soon as every example is on the right side of 0.5. */
export async function fit(net: Net, rng: Rng, inputs: number[][], targets: number[][], o: { lr: number; steps: number; params?: Record<string, TensorData>; fullBudget?: boolean }): Promise<Fit> {
  const feeds = feedsOf(net, inputs, targets)
  const flatT = targets.flat()
  const r = await trainCompiled(net.compiled, {
    feeds,
    params: o.params ?? net.init(rng),
    loss: net.loss,
    lr: o.lr,
    steps: o.steps,
    every: 50,
    curveEvery: 1e9,
    until: o.fullBudget ? undefined : async (_l, step, params) => step > 0 && accuracy(await predict(net.compiled, { ...feeds, ...params }, net.out), flatT) === 1,
  })
  const predictions = await predict(net.compiled, { ...feeds, ...r.params }, net.out)
  return { params: r.params, predictions, accuracy: accuracy(predictions, flatT), loss: r.finalLoss, initialLoss: r.losses[0] ?? r.finalLoss, steps: r.steps }
}

/** Hidden activations of a fitted network on the inputs. */
export async function hiddenOf(net: Net, f: Fit, inputs: number[][], targets: number[][]): Promise<number[][]> {
  const out = await net.compiled.run({ ...feedsOf(net, inputs, targets), ...f.params })
  const h = values(out[net.hidden[0]!]!)
  const width = h.length / inputs.length
  return inputs.map((_, i) => h.slice(i * width, (i + 1) * width))
}

/**
 * The null model of unevenness: the 95th percentile of the Gini coefficient of n outgoing weights
 * drawn iid from the suite's Glorot-uniform initialization (20 000 seeded draws): what chance alone gives.
 */
export function giniNull95(n: number): number {
  const rng = new Rng(20_000 + n)
  const gs = Array.from({ length: 20_000 }, () => gini(Array.from({ length: n }, () => glorotUniform(rng, n, 1)))).sort((a, b) => a - b)
  return gs[Math.floor(0.95 * gs.length)]!
}

/** R² of the least-squares affine fit of targets y from points h (with intercept): 1 = y is exactly linear in h. */
export function linearR2(h: number[][], y: number[]): number {
  const X = h.map((row) => [1, ...row])
  const k = X[0]!.length
  // normal equations XᵀX β = Xᵀy, solved by Gaussian elimination with a tiny ridge for rank-deficient h
  const A = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => X.reduce((s, r) => s + r[i]! * r[j]!, 0) + (i === j ? 1e-12 : 0)))
  const b = Array.from({ length: k }, (_, i) => X.reduce((s, r, n) => s + r[i]! * y[n]!, 0))
  for (let c = 0; c < k; c++) {
    const p = A.slice(c).reduce((best, row, i) => (Math.abs(row[c]!) > Math.abs(A[best]![c]!) ? c + i : best), c)
    ;[A[c], A[p]] = [A[p]!, A[c]!]
    ;[b[c], b[p]] = [b[p]!, b[c]!]
    for (let r = c + 1; r < k; r++) {
      const f = A[r]![c]! / A[c]![c]!
      for (let j = c; j < k; j++) A[r]![j]! -= f * A[c]![j]!
      b[r]! -= f * b[c]!
    }
  }
  const beta = new Array<number>(k).fill(0)
  for (let c = k - 1; c >= 0; c--) beta[c] = (b[c]! - A[c]!.slice(c + 1).reduce((s, v, j) => s + v * beta[c + 1 + j]!, 0)) / A[c]![c]!
  const mean = y.reduce((a, v) => a + v, 0) / y.length
  const ssTot = y.reduce((a, v) => a + (v - mean) ** 2, 0)
  const ssRes = X.reduce((a, r, n) => a + (y[n]! - r.reduce((s, v, j) => s + v * beta[j]!, 0)) ** 2, 0)
  return 1 - ssRes / ssTot
}

/** Gini coefficient of magnitudes: 0 when all equal, → 1 when one carries everything. */
export function gini(xs: number[]): number {
  const a = xs.map(Math.abs).sort((p, q) => p - q)
  const n = a.length
  const sum = a.reduce((s, v) => s + v, 0)
  if (sum === 0) return 0
  return a.reduce((s, v, i) => s + (2 * (i + 1) - n - 1) * v, 0) / (n * sum)
}

/** Outputs of a fitted network on any inputs (padded to the compiled batch size). */
export async function predictOn(net: Net, params: Record<string, TensorData>, inputs: number[][]): Promise<number[]> {
  const pad = [...inputs, ...Array.from({ length: net.examples - inputs.length }, () => inputs[0]!)]
  const feeds = feedsOf(net, pad, pad.map(() => [0]))
  return (await predict(net.compiled, { ...feeds, ...params }, net.out)).slice(0, inputs.length)
}
