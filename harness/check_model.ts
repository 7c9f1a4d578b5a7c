// `nnspec check-model model.onnx --engine <…>`: a user's model on an engine, against reference-f64.
// Seeded random inputs of the declared shapes; every output compared under the tolerance policy;
// on engines with gradients, the gradient of the sum of the outputs w.r.t. every float initializer
// (elementwise, or along random directions for large models). Bad files are UsageErrors (exit 2).
import { existsSync, readFileSync } from 'node:fs'
import type { Engine, FloatDType, Graph, TensorData } from '../contract/types.ts'
import { Rng } from '../contract/rng.ts'
import { GraphValidationError, validateGraph } from '../contract/validate.ts'
import { fromModelBytes, OnnxFormatError, OnnxUnsupported } from '../oracles/onnx_read.ts'
import { expectClose, maxAbsDiff, Mismatch, reductionLength, tolerance } from './assert.ts'
import { loadEngine } from './engines.ts'
import { GraphBuilder } from './graph_builder.ts'
import { UsageError } from './run_inputs.ts'
import { weightedSum } from './scalarize.ts'
import { castFeeds, castGraph, randomTensor, values } from './tensors.ts'

/** Above this many initializer values, gradients are compared along random directions. */
export const PROJECTION_ABOVE = 100_000
const DIRECTIONS = 3

export interface Check {
  what: string
  ok: boolean
  maxAbsError?: number
  message?: string
}

export interface CheckModelResult {
  model: string
  engine: string
  seed: number
  inputs: { name: string; shape: number[] }[]
  outputs: Check[]
  gradients: { mode: 'elementwise' | 'projection'; initializers: number; values: number; checks: Check[] } | { skipped: string }
  verdict: 'agrees' | 'disagrees'
  durationMs: number
}

/** The model as an IR graph, or a UsageError naming the file and what is wrong with it. */
export function readModel(file: string): Graph {
  if (!existsSync(file)) throw new UsageError(`${file}: no such file`)
  try {
    const { graph } = fromModelBytes(readFileSync(file), file)
    validateGraph(graph) // a malformed graph (a dangling input, shapes that do not fit) is the file's fault too
    return graph
  } catch (e) {
    if (e instanceof OnnxFormatError) throw new UsageError(e.message)
    if (e instanceof OnnxUnsupported || e instanceof GraphValidationError) throw new UsageError(`${file}: ${e.message}`)
    throw e
  }
}

/** Concrete input shapes: the declared sizes, symbolic ones from --shape name=… */
function inputShapes(g: Graph, given: Record<string, number[]>): { name: string; shape: number[] }[] {
  for (const name of Object.keys(given)) if (!g.inputs.some((i) => i.name === name)) throw new UsageError(`--shape ${name}=…: the model has no input "${name}" (inputs: ${g.inputs.map((i) => i.name).join(', ')})`)
  return g.inputs.map((i) => {
    if (!i.dtype.startsWith('float')) throw new UsageError(`input "${i.name}" is ${i.dtype}: check-model feeds random floats only`)
    const shape = given[i.name] ?? i.shape.map((d) => (typeof d === 'number' ? d : NaN))
    if (shape.some(Number.isNaN)) throw new UsageError(`input "${i.name}" has symbolic dims [${i.shape.join(',')}]: give its shape with --shape ${i.name}=${i.shape.map((d) => (typeof d === 'number' ? d : 1)).join(',')}`)
    if (shape.length !== i.shape.length) throw new UsageError(`--shape ${i.name}=${shape.join(',')} has rank ${shape.length}, the model declares [${i.shape.join(',')}]`)
    return { name: i.name, shape }
  })
}

const floatOf = (e: Engine): FloatDType => (e.dtypes.includes('float32') ? 'float32' : 'float64')
const elems = (ts: TensorData[]) => ts.reduce((n, t) => n + t.data.length, 0)

/** One comparison, as a Check rather than a throw. */
function compare(what: string, actual: TensorData | number[], expected: TensorData | number[], tol: { rtol: number; atol: number }): Check {
  const maxAbsError = maxAbsDiff(actual, expected)
  try {
    expectClose(actual, expected, { what, oracle: 'reference-f64', tol, replay: 'rerun the same check-model command' })
    return { what, ok: true, maxAbsError }
  } catch (e) {
    if (!(e instanceof Mismatch)) throw e
    return { what, ok: false, maxAbsError, message: e.message.replace(/; replay: .*$/, '') }
  }
}

export async function checkModel(file: string, o: { engine: string; shapes: Record<string, number[]>; seed: number }): Promise<CheckModelResult> {
  const started = performance.now()
  const graph = readModel(file)
  const inputs = inputShapes(graph, o.shapes)
  const rng = new Rng(o.seed).fork('check-model')
  const feeds64 = Object.fromEntries(inputs.map((i) => [i.name, randomTensor(rng.fork(i.name), 'float64', i.shape)]))
  const [engine, ref] = [await loadEngine(o.engine), await loadEngine('reference-f64')]
  const dtype = floatOf(engine)
  const low: FloatDType = dtype === 'float64' ? 'float64' : 'float32'
  const [mine, theirs] = [await engine.compile(castGraph(graph, dtype)), await ref.compile(castGraph(graph, 'float64'))]
  const feeds = castFeeds(feeds64, dtype)
  const [got, want] = [await mine.run(feeds), await theirs.run(feeds64)]
  const K = reductionLength(Object.values(feeds64), graph.outputs.map((n) => want[n]!))
  const outputs = graph.outputs.map((n) => compare(`output ${n}`, got[n] ?? [], want[n]!, tolerance(low, { reduction: K })))

  const params = Object.entries(graph.initializers ?? {}).filter(([, t]) => t.dtype.startsWith('float')).map(([k]) => k)
  let gradients: CheckModelResult['gradients']
  if (!mine.valueAndGrad) gradients = { skipped: `${engine.name} has no valueAndGrad (forward only)` }
  else if (params.length === 0) gradients = { skipped: 'the model has no float initializers to differentiate' }
  else gradients = await checkGradients(graph, params, engine, ref, feeds64, want, dtype, o.seed)
  const ok = outputs.every((c) => c.ok) && ('skipped' in gradients || gradients.checks.every((c) => c.ok))
  return { model: file, engine: engine.name, seed: o.seed, inputs, outputs, gradients, verdict: ok ? 'agrees' : 'disagrees', durationMs: Math.round(performance.now() - started) }
}

/** ∂(Σ outputs)/∂initializer on the engine vs reference-f64, elementwise or along random directions. */
async function checkGradients(graph: Graph, params: string[], engine: Engine, ref: Engine, feeds64: Record<string, TensorData>, want: Record<string, TensorData>, dtype: FloatDType, seed: number) {
  const withSum = (e: Engine, d: FloatDType) => {
    const g = GraphBuilder.from(castGraph(graph, d), d)
    const { loss } = weightedSum(g, graph.outputs.map((n) => ({ name: n, shape: want[n]!.shape, r: Array<number>(want[n]!.data.length).fill(1) })), e)
    return { graph: g.output(loss).build(), loss }
  }
  const [a, b] = [withSum(engine, dtype), withSum(ref, 'float64')]
  const [ga, gb] = [
    (await (await engine.compile(a.graph)).valueAndGrad!(castFeeds(feeds64, dtype), a.loss, params)).grads,
    (await (await ref.compile(b.graph)).valueAndGrad!(feeds64, b.loss, params)).grads,
  ]
  const total = params.reduce((n, p) => n + gb[p]!.data.length, 0)
  const tol = tolerance(dtype === 'float64' ? 'float64' : 'float32', { reduction: Math.max(1, elems(graph.outputs.map((n) => want[n]!))), gradient: true })
  if (total <= PROJECTION_ABOVE) {
    return { mode: 'elementwise' as const, initializers: params.length, values: total, checks: params.map((p) => compare(`∂Σout/∂${p}`, ga[p]!, gb[p]!, tol)) }
  }
  // ⟨g, v⟩ for seeded random directions v: one number per direction, summed over all initializers
  const rng = new Rng(seed).fork('directions')
  const dots = Array.from({ length: DIRECTIONS }, (_, k) => {
    const r = rng.fork(k)
    let [da, db] = [0, 0]
    for (const p of params) {
      const [x, y] = [values(ga[p]!), values(gb[p]!)]
      for (let i = 0; i < y.length; i++) {
        const v = r.normal()
        da += x[i]! * v
        db += y[i]! * v
      }
    }
    return [da, db] as const
  })
  const projTol = tolerance(dtype === 'float64' ? 'float64' : 'float32', { reduction: total, gradient: true })
  return { mode: 'projection' as const, initializers: params.length, values: total, checks: [compare(`⟨∂Σout/∂θ, v⟩ along ${DIRECTIONS} random directions`, dots.map((d) => d[0]), dots.map((d) => d[1]), projTol)] }
}
