// The kernels measured by `nnspec bench`: one graph per case, with the work it does (FLOPs,
// elements or examples) so every engine's speed is reported in the same unit.
import type { Graph, TensorData } from '../contract/types.ts'
import { GraphBuilder } from '../harness/graph_builder.ts'
import { mseLoss } from '../harness/layers.ts'
import { Rng } from '../contract/rng.ts'
import { randomTensor } from '../harness/tensors.ts'

export interface BenchCase {
  name: string
  /** 'GFLOP/s' (work = FLOPs), 'M elem/s' (work = elements) or 'examples/s' (work = examples) */
  unit: 'GFLOP/s' | 'M elem/s' | 'examples/s'
  work: number
  graph: Graph
  feeds: Record<string, TensorData>
  /** train-step cases need valueAndGrad of `loss` w.r.t. `wrt` */
  train?: { loss: string; wrt: string[] }
  quick: boolean
}

const rng = new Rng(7)

function matmul(n: number, quick: boolean): BenchCase {
  const g = new GraphBuilder('float32')
  const [a, b] = [g.input('a', [n, n]), g.input('b', [n, n])]
  g.output(g.op('MatMul', [a, b]))
  return { name: `MatMul ${n}²`, unit: 'GFLOP/s', work: 2 * n ** 3, graph: g.build(), feeds: { a: randomTensor(rng, 'float32', [n, n]), b: randomTensor(rng, 'float32', [n, n]) }, quick }
}

function gemm(n: number): BenchCase {
  const g = new GraphBuilder('float32')
  const [a, b, c] = [g.input('a', [n, n]), g.input('b', [n, n]), g.input('c', [n])]
  g.output(g.op('Gemm', [a, b, c], { transB: 1, alpha: 0.5, beta: 2 }))
  return { name: `Gemm ${n}² transB`, unit: 'GFLOP/s', work: 2 * n ** 3, graph: g.build(), feeds: { a: randomTensor(rng, 'float32', [n, n]), b: randomTensor(rng, 'float32', [n, n]), c: randomTensor(rng, 'float32', [n]) }, quick: false }
}

function conv(hw: number, cin: number, cout: number, quick: boolean): BenchCase {
  const g = new GraphBuilder('float32')
  const [x, w] = [g.input('x', [1, cin, hw, hw]), g.input('w', [cout, cin, 3, 3])]
  g.output(g.op('Conv', [x, w], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }))
  return { name: `Conv ${hw}×${hw}×${cin}→${cout} 3×3`, unit: 'GFLOP/s', work: 2 * hw * hw * cout * cin * 9, graph: g.build(), feeds: { x: randomTensor(rng, 'float32', [1, cin, hw, hw]), w: randomTensor(rng, 'float32', [cout, cin, 3, 3]) }, quick }
}

function maxpool(): BenchCase {
  const g = new GraphBuilder('float32')
  const x = g.input('x', [1, 64, 56, 56])
  g.output(g.op('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] }))
  return { name: 'MaxPool 56×56×64 2×2', unit: 'M elem/s', work: 64 * 56 * 56, graph: g.build(), feeds: { x: randomTensor(rng, 'float32', [1, 64, 56, 56]) }, quick: false }
}

function elementwise(op: string, n: number, quick: boolean): BenchCase {
  const g = new GraphBuilder('float32')
  g.output(g.op(op, [g.input('x', [n])]))
  return { name: `${op} ${n >> 10}K`, unit: 'M elem/s', work: n, graph: g.build(), feeds: { x: randomTensor(rng, 'float32', [n], -4, 4) }, quick }
}

/** One dense layer's forward and backward (256 → 256, ReLU, MSE) at a batch size. */
export function trainStep(batch: number, quick: boolean): BenchCase {
  const g = new GraphBuilder('float32')
  const [x, y, W, b] = [g.input('x', [batch, 256]), g.input('y', [batch, 256]), g.input('W', [256, 256]), g.input('b', [256])]
  const loss = mseLoss(g, g.op('Relu', [g.op('Gemm', [x, W, b])]), y)
  const feeds = { x: randomTensor(rng, 'float32', [batch, 256]), y: randomTensor(rng, 'float32', [batch, 256]), W: randomTensor(rng, 'float32', [256, 256], -0.06, 0.06), b: randomTensor(rng, 'float32', [256]) }
  return { name: `train step batch ${batch}`, unit: 'examples/s', work: batch, graph: g.output(loss).build(), feeds, train: { loss, wrt: ['W', 'b'] }, quick }
}

export const TRAIN_BATCHES = [1, 4, 16, 64, 256, 1024]

export function benchCases(): BenchCase[] {
  return [
    ...[64, 128, 256, 512, 1024].map((n) => matmul(n, n === 256)),
    gemm(256),
    conv(32, 16, 32, true),
    conv(56, 64, 64, false),
    maxpool(),
    ...['Sigmoid', 'Relu', 'Exp'].map((op) => elementwise(op, 1 << 20, op !== 'Exp')),
    ...TRAIN_BATCHES.map((b) => trainStep(b, b === 16)),
  ]
}
