// One arbitrary: a well-formed random graph of 2–12 nodes over [n, m] and [n, 1] values, built from
// elementwise, activation, matmul and reduction ops, so any two engines can run it. Each step picks
// an op and its operands by index into the values made so far: shrinking drops steps.
import fc from 'fast-check'
import type { FloatDType, Graph, TensorData } from '../../contract/types.ts'
import { GraphBuilder } from '../graph_builder.ts'
import { Rng } from '../../contract/rng.ts'
import { i64, td } from '../tensors.ts'

const UNARY = ['Tanh', 'Sigmoid', 'Relu', 'Abs', 'Neg', 'Softplus', 'Identity', 'Elu', 'LeakyRelu'] as const
const BINARY = ['Add', 'Sub', 'Mul', 'Max', 'Min'] as const
/** Every op a random graph may draw from (an engine that lacks some draws from the others). */
export const GRAPH_OPS: readonly string[] = [...UNARY, ...BINARY, 'MatMul', 'Softmax', 'ReduceSum', 'ReduceMean', 'ReduceMax', 'Gemm']

export interface RandomGraph {
  graph: Graph
  feeds: Record<string, TensorData>
  /** the spec of each step, for reporting */
  steps: string[]
}

interface StepSpec {
  kind: number
  a: number
  b: number
  param: number
}

export function buildGraph(dtype: FloatDType, specs: StepSpec[], seed: number, kinds: readonly string[] = GRAPH_OPS, n = 3, m = 4): RandomGraph {
  const rng = new Rng(seed)
  const g = new GraphBuilder(dtype)
  const values: { name: string; wide: boolean }[] = [{ name: g.input('x', [n, m]), wide: true }, { name: g.input('z', [n, m]), wide: true }]
  const steps: string[] = []
  specs.forEach((s, i) => {
    const kind = kinds[s.kind % kinds.length]!
    const a = values[s.a % values.length]!
    const b = values[s.b % values.length]!
    const name = `n${i}_${kind}`
    let out: { name: string; wide: boolean }
    if ((UNARY as readonly string[]).includes(kind)) {
      const attrs = kind === 'LeakyRelu' ? { alpha: 0.05 + 0.5 * s.param } : kind === 'Elu' ? { alpha: 0.5 + s.param } : {}
      out = { name: g.op(kind, [a.name], attrs, name), wide: a.wide }
    } else if ((BINARY as readonly string[]).includes(kind)) {
      out = { name: g.op(kind, [a.name, b.name], {}, name), wide: a.wide || b.wide }
    } else if (kind === 'MatMul' || kind === 'Gemm') {
      const wide = values.filter((v) => v.wide)
      const src = wide[s.a % wide.length]!
      const W = g.const(`W${i}`, td(dtype, [m, m], Array.from({ length: m * m }, () => rng.uniform(-1, 1))))
      const C = kind === 'Gemm' ? [g.const(`C${i}`, td(dtype, [m], Array.from({ length: m }, () => rng.uniform(-1, 1))))] : []
      out = { name: g.op(kind, [src.name, W, ...C], {}, name), wide: true }
    } else if (kind === 'Softmax') {
      out = { name: g.op('Softmax', [a.name], { axis: 1 }, name), wide: a.wide }
    } else {
      const attrs = { keepdims: 1, ...(kind === 'ReduceSum' ? {} : { axes: [1] }) }
      const inputs = kind === 'ReduceSum' ? [a.name, g.const(`axes${i}`, i64([1]))] : [a.name]
      out = { name: g.op(kind, inputs, attrs, name), wide: false }
    }
    values.push(out)
    steps.push(`${name}(${kind === 'MatMul' || kind === 'Gemm' ? 'W' : [a.name, b.name].slice(0, (BINARY as readonly string[]).includes(kind) ? 2 : 1).join(', ')})`)
  })
  g.output(values.at(-1)!.name)
  const feeds = { x: td(dtype, [n, m], Array.from({ length: n * m }, () => rng.uniform(-2, 2))), z: td(dtype, [n, m], Array.from({ length: n * m }, () => rng.uniform(-2, 2))) }
  return { graph: g.build(), feeds, steps }
}

/** Random graphs; `ops` narrows the ops drawn (to those an engine supports). */
export const randomGraph = (c: { dtype: FloatDType; minNodes?: number; maxNodes?: number; ops?: readonly string[] }): fc.Arbitrary<RandomGraph> =>
  fc
    .record({
      specs: fc.array(fc.record({ kind: fc.nat(), a: fc.nat(), b: fc.nat(), param: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: c.minNodes ?? 2, maxLength: c.maxNodes ?? 12 }),
      seed: fc.nat(),
    })
    .map(({ specs, seed }) => buildGraph(c.dtype, specs, seed, c.ops ?? GRAPH_OPS))
