// Cases in the ONNX backend-test layout (a directory with model.onnx and test_data_set_*/input_*.pb,
// output_*.pb), run on an engine and compared under the tolerance policy. The official node tests
// live in fixtures/onnx-node/; `nnspec onnx <dirs…>` points at a user's own.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { DType, FloatDType, Graph, TensorData } from '../contract/types.ts'
import { STATIC_INPUTS } from '../contract/onnx_schema.ts'
import { fromModelBytes, readTensorFile, type ImportedModel } from '../oracles/onnx_read.ts'
import { expectClose, maxAbsDiff, reductionLength, tolerance } from './assert.ts'
import { Unsupported, type ClaimContext } from './claim.ts'
import { ROOT } from './runner/selection.ts'
import { cast } from './tensors.ts'

export const NODE_FIXTURES = join(ROOT, 'fixtures/onnx-node')

/** Case directories under each dir (a dir that holds model.onnx is a case itself), sorted by name. */
export function caseDirs(dirs: string[]): string[] {
  const out: string[] = []
  for (const d of dirs) {
    if (!existsSync(d) || !statSync(d).isDirectory()) throw new Error(`ONNX cases: ${d} is not a directory`)
    if (existsSync(join(d, 'model.onnx'))) out.push(d)
    else out.push(...readdirSync(d).map((e) => join(d, e)).filter((e) => existsSync(join(e, 'model.onnx'))))
  }
  return out.sort((a, b) => basename(a).localeCompare(basename(b)))
}

/** The claim id of a case: onnx.<directory name without test_>. */
export const caseId = (dir: string): string => `onnx.${basename(dir).replace(/^test_/, '')}`

const models = new Map<string, ImportedModel>()
/** The case's model.onnx, read once per process (the spec's registration and the run both need it). */
export function caseModel(dir: string): ImportedModel {
  if (!models.has(dir)) models.set(dir, fromModelBytes(readFileSync(join(dir, 'model.onnx')), join(dir, 'model.onnx')))
  return models.get(dir)!
}

/** The model's op types (for the claim's `ops`), or the reason it cannot be read. */
export function caseOps(dir: string): string[] | Error {
  try {
    return [...new Set(caseModel(dir).graph.nodes.map((n) => n.op))]
  } catch (e) {
    return e as Error
  }
}

interface DataSet {
  name: string
  inputs: TensorData[]
  outputs: TensorData[]
}

function dataSets(dir: string): DataSet[] {
  const sets = readdirSync(dir).filter((e) => e.startsWith('test_data_set_')).sort()
  if (sets.length === 0) throw new Error(`${dir}: no test_data_set_* directory`)
  return sets.map((s) => {
    const files = (prefix: string) =>
      readdirSync(join(dir, s))
        .filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
        .sort((a, b) => Number(a.slice(prefix.length, -3)) - Number(b.slice(prefix.length, -3)))
        .map((f) => readTensorFile(readFileSync(join(dir, s, f)), join(dir, s, f)).tensor)
    return { name: s, inputs: files('input_'), outputs: files('output_') }
  })
}

const isFloat = (d: DType): d is FloatDType => d === 'float32' || d === 'float64'

/**
 * The graph for one data set, in the engine's float type: fed values of static operands (a Reshape
 * shape, Slice bounds, Clip limits…) become initializers, because the IR takes those as constants.
 */
function bind(model: ImportedModel, set: DataSet, dtype: FloatDType): { graph: Graph; feeds: Record<string, TensorData> } {
  const g = model.graph
  if (set.inputs.length !== g.inputs.length) throw new Error(`${set.name}: ${set.inputs.length} input files for ${g.inputs.length} graph inputs (${g.inputs.map((i) => i.name).join(', ')})`)
  const fed = Object.fromEntries(g.inputs.map((inp, i) => [inp.name, cast(set.inputs[i]!, dtype)]))
  const statics = new Set(g.nodes.flatMap((n) => n.inputs.filter((name, k) => STATIC_INPUTS[n.op]?.[k] && name in fed)))
  const initializers = Object.fromEntries(Object.entries(g.initializers ?? {}).map(([k, t]) => [k, cast(t, dtype)]))
  for (const name of statics) initializers[name] = fed[name]!
  const inputs = g.inputs.filter((i) => !statics.has(i.name)).map((i) => ({ ...i, dtype: isFloat(i.dtype) ? dtype : i.dtype, shape: fed[i.name]!.shape }))
  const feeds = Object.fromEntries(inputs.map((i) => [i.name, fed[i.name]!]))
  return { graph: { ...g, inputs, initializers }, feeds }
}

/**
 * Run every data set of the case and compare each output. The truth is computed in the case's own
 * float type, so the tolerance is the policy's for the lower of the two precisions, widened by √K for K
 * input elements per output element (a reduction or contraction); integer outputs (indices) must be exact.
 */
export async function runCase(ctx: ClaimContext, dir: string): Promise<{ sets: number; outputs: number; maxAbsError: number }> {
  const model = caseModel(dir)
  let [outputs, maxAbsError] = [0, 0]
  const sets = dataSets(dir)
  for (const set of sets) {
    const { graph, feeds } = bind(model, set, ctx.dtype)
    for (const n of graph.nodes) {
      const ok = ctx.engine.supports(n)
      if (ok !== true) throw new Unsupported(`${n.op}: ${ok}`)
    }
    const got = await (await ctx.engine.compile(graph)).run(feeds)
    const K = reductionLength(set.inputs, set.outputs)
    graph.outputs.forEach((name, i) => {
      const want = set.outputs[i]
      if (!want) throw new Error(`${set.name}: no output_${i}.pb for graph output "${name}"`)
      const op = graph.nodes.find((n) => n.outputs.includes(name))?.op ?? 'graph'
      const actual = got[name]
      if (!actual) throw new Error(`the engine returned no "${name}"`)
      const tol = isFloat(want.dtype) ? tolerance(want.dtype === 'float64' && ctx.dtype === 'float64' ? 'float64' : 'float32', { reduction: K }) : { rtol: 0, atol: 0 }
      maxAbsError = Math.max(maxAbsError, maxAbsDiff(actual, want))
      expectClose(actual, want, { what: `${op} ${name}`, oracle: `ONNX's ${basename(dir)}/${set.name}/output_${i}.pb`, tol, replay: ctx.replay })
      outputs++
    })
  }
  return { sets: sets.length, outputs, maxAbsError }
}
