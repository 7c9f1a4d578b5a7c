// Layers and losses as graph builders, composed from ONNX ops only, so every engine runs the same graph.
import type { FloatDType, TensorData } from '../contract/types.ts'
import type { GraphBuilder } from './graph_builder.ts'
import { hasOps, type Supports } from './supports.ts'
import type { Rng } from '../contract/rng.ts'
import { i64, td } from './tensors.ts'

export type Activation = 'Sigmoid' | 'Tanh' | 'Relu' | 'LeakyRelu' | 'Elu' | 'Softplus' | 'Identity'
/** Draws a weight for a fan-in × fan-out matrix. */
export type Init = (rng: Rng, fanIn: number, fanOut: number) => number

export const glorotUniform: Init = (rng, fanIn, fanOut) => {
  const a = Math.sqrt(6 / (fanIn + fanOut))
  return rng.uniform(-a, a)
}
export const heNormal: Init = (rng, fanIn) => rng.normal(0, Math.sqrt(2 / fanIn))
export const gaussian = (std: number): Init => (rng) => rng.normal(0, std)

export function weights(dtype: FloatDType, rng: Rng, fanIn: number, fanOut: number, init: Init = glorotUniform): TensorData {
  return td(dtype, [fanIn, fanOut], Array.from({ length: fanIn * fanOut }, () => init(rng, fanIn, fanOut)))
}

const scalar = (g: GraphBuilder, name: string, v: number) => g.const(name, td(g.dtype, [], [v]))

/** act(x·W + b) with Gemm; W is [in, out], b is [out]. */
export function dense(g: GraphBuilder, x: string, W: string, b: string | undefined, act: Activation = 'Identity', name = 'dense'): string {
  const z = g.op('Gemm', b ? [x, W, b] : [x, W], {}, `${name}/Gemm`)
  return act === 'Identity' ? z : g.op(act, [z], {}, `${name}/${act}`)
}

export interface MlpOptions {
  act: Activation
  outAct?: Activation
  rng: Rng
  init?: Init
  /** Initial bias value (default 0). */
  bias?: number
  /** Parameter names are `${prefix}W1`, `${prefix}b1`, …: two MLPs in one graph need different ones. */
  prefix?: string
}

/** A multilayer perceptron with sizes [in, h1, …, out]; returns the output and the layer params. */
export function mlp(g: GraphBuilder, x: string, sizes: number[], o: MlpOptions): { out: string; layers: { W: string; b: string }[] } {
  let h = x
  const layers: { W: string; b: string }[] = []
  for (let i = 0; i + 1 < sizes.length; i++) {
    const last = i + 2 === sizes.length
    const W = g.param(`${o.prefix ?? ''}W${i + 1}`, weights(g.dtype, o.rng, sizes[i]!, sizes[i + 1]!, o.init))
    const b = g.param(`${o.prefix ?? ''}b${i + 1}`, td(g.dtype, [sizes[i + 1]!], new Array<number>(sizes[i + 1]!).fill(o.bias ?? 0)))
    h = dense(g, h, W, b, last ? (o.outAct ?? 'Identity') : o.act, `layer${i + 1}`)
    layers.push({ W, b })
  }
  return { out: h, layers }
}

/** mean((ŷ − y)²) over all elements. */
export function mseLoss(g: GraphBuilder, yhat: string, y: string): string {
  const d = g.op('Sub', [yhat, y])
  return g.op('ReduceMean', [g.op('Mul', [d, d])], { keepdims: 0 }, 'mse')
}

/**
 * mean(max(z,0) − z·y + log(1 + e^−|z|)): binary cross-entropy from logits, finite for any z. An engine
 * without Relu, Abs, Neg or Add gets the same function as mean(softplus(z) − z·y) (`engine` says).
 */
export function bceWithLogits(g: GraphBuilder, z: string, y: string, engine?: Supports): string {
  if (engine && !hasOps(engine, 'Relu', 'Abs', 'Neg', 'Add')) return g.op('ReduceMean', [g.op('Sub', [g.op('Softplus', [z]), g.op('Mul', [z, y])])], { keepdims: 0 }, 'bce')
  const softplusNegAbs = g.op('Softplus', [g.op('Neg', [g.op('Abs', [z])])])
  const per = g.op('Add', [g.op('Sub', [g.op('Relu', [z]), g.op('Mul', [z, y])]), softplusNegAbs])
  return g.op('ReduceMean', [per], { keepdims: 0 }, 'bce')
}

/** mean over the batch of −Σ onehot·log softmax(logits) along the last axis. */
export function softmaxCrossEntropy(g: GraphBuilder, logits: string, onehot: string): string {
  const ll = g.op('Mul', [onehot, g.op('LogSoftmax', [logits], { axis: -1 })])
  const perExample = g.op('ReduceSum', [ll, g.const('axes', i64([-1]))], { keepdims: 0 })
  return g.op('Neg', [g.op('ReduceMean', [perExample], { keepdims: 0 })], {}, 'softmax_ce')
}

/** (λ/2)·Σ‖W‖² over the named params. */
export function l2Penalty(g: GraphBuilder, params: string[], lambda: number): string {
  const sums = params.map((p) => g.op('ReduceSum', [g.op('Mul', [p, p])], { keepdims: 0 }))
  const total = sums.length === 1 ? sums[0]! : g.op('Sum', sums)
  return g.op('Mul', [total, scalar(g, 'half_lambda', lambda / 2)], {}, 'l2')
}

export const addLosses = (g: GraphBuilder, a: string, b: string): string => g.op('Add', [a, b], {}, 'total_loss')

/**
 * Scaled dot-product self-attention over tokens x [n, d]: softmax(Q·Kᵀ/√d_k)·V with Q = x·Wq,
 * K = x·Wk, V = x·Wv. Returns the output and the attention weights (rows are distributions).
 */
export function selfAttention(g: GraphBuilder, x: string, Wq: string, Wk: string, Wv: string, dk: number, scaled = true): { out: string; weights: string } {
  const q = g.op('MatMul', [x, Wq], {}, 'attn/Q')
  const k = g.op('MatMul', [x, Wk], {}, 'attn/K')
  const v = g.op('MatMul', [x, Wv], {}, 'attn/V')
  let scores = g.op('MatMul', [q, g.op('Transpose', [k], { perm: [1, 0] })], {}, 'attn/QKt')
  if (scaled) scores = g.op('Mul', [scores, g.const('attn_scale', { dtype: g.dtype, shape: [], data: g.dtype === 'float32' ? Float32Array.of(1 / Math.sqrt(dk)) : Float64Array.of(1 / Math.sqrt(dk)) })], {}, 'attn/scale')
  const weights = g.op('Softmax', [scores], { axis: -1 }, 'attn/softmax')
  return { out: g.op('MatMul', [weights, v], {}, 'attn/out'), weights }
}

/** y = x + F(x), F = dense(act(dense(x))) with square weights. */
export function residualBlock(g: GraphBuilder, x: string, W1: string, b1: string, W2: string, b2: string, act: Activation = 'Relu', name = 'res'): string {
  return g.op('Add', [x, dense(g, dense(g, x, W1, b1, act, `${name}/f1`), W2, b2, 'Identity', `${name}/f2`)], {}, `${name}/add`)
}
