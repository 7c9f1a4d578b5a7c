// Small Boolean-function experiments: truth tables, sigmoid MLPs trained full-batch by the
// harness's SGD on the engine's gradients, accuracy at threshold 0.5, linear separability.
import { perClaim, type ClaimContext } from '../../harness/claim.ts'
import type { Compiled, FloatDType, TensorData } from '../../contract/types.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { mlp, mseLoss, type Activation } from '../../harness/layers.ts'
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
  return { params: r.params, predictions, accuracy: accuracy(predictions, flatT), loss: r.finalLoss, steps: r.steps }
}

/** Hidden activations of a fitted network on the inputs. */
export async function hiddenOf(net: Net, f: Fit, inputs: number[][], targets: number[][]): Promise<number[][]> {
  const out = await net.compiled.run({ ...feedsOf(net, inputs, targets), ...f.params })
  const h = values(out[net.hidden[0]!]!)
  const width = h.length / inputs.length
  return inputs.map((_, i) => h.slice(i * width, (i + 1) * width))
}

/** The perceptron rule; it converges iff the points are linearly separable (then returns the separator). */
export function perceptron(points: number[][], labels: number[], epochs = 10_000): { w: number[]; b: number } | undefined {
  const w = new Array<number>(points[0]!.length).fill(0)
  let b = 0
  for (let e = 0; e < epochs; e++) {
    let errors = 0
    points.forEach((p, i) => {
      const s = p.reduce((acc, v, k) => acc + v * w[k]!, b)
      const want = labels[i] === 1 ? 1 : -1
      if (s * want <= 0) {
        errors++
        p.forEach((v, k) => (w[k] = w[k]! + want * v))
        b += want
      }
    })
    if (errors === 0) return { w, b }
  }
  return undefined
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
