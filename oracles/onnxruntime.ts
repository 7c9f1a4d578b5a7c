// The `onnxruntime` engine: forward only. Each compiled graph is one InferenceSession on ONNX
// Runtime's CPU provider, created once and run many times. No valueAndGrad: claims that need
// gradients skip here with that reason.
import * as ort from 'onnxruntime-node'
import { createRequire } from 'node:module'
import type { Compiled, Engine, Graph, TensorData } from '../contract/types.ts'
import { OP_SCHEMA } from '../contract/onnx_schema.ts'
import { toModelBytes } from './onnx_model.ts'

const version = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version

function toOrt(t: TensorData): ort.Tensor {
  if (t.dtype === 'float32' || t.dtype === 'float64') return new ort.Tensor(t.dtype, t.data as Float32Array | Float64Array, t.shape)
  if (t.dtype === 'int64') return new ort.Tensor('int64', t.data as BigInt64Array, t.shape)
  if (t.dtype === 'int32') return new ort.Tensor('int32', t.data as Int32Array, t.shape)
  return new ort.Tensor('bool', t.data as Uint8Array, t.shape)
}

function fromOrt(t: ort.Tensor): TensorData {
  const dtype = t.type === 'float64' ? 'float64' : 'float32'
  return { dtype, shape: [...t.dims], data: dtype === 'float64' ? Float64Array.from(t.data as Float64Array) : Float32Array.from(t.data as Float32Array) }
}

/** ORT names the failing node in its messages; add the graph's op list for context. */
const explain = (graph: Graph, e: unknown) => new Error(`onnxruntime: ${(e as Error).message.trim()} [graph ops: ${graph.nodes.map((n) => n.op).join(' ')}]`)

function checkNames(graph: Graph): void {
  const defined = new Set([...graph.inputs.map((i) => i.name), ...Object.keys(graph.initializers ?? {})])
  graph.nodes.forEach((node, i) => {
    for (const n of node.inputs) {
      if (n !== '' && !defined.has(n)) throw new Error(`Error in node "${node.name ?? `#${i}`}" (${node.op}): input "${n}" is not defined by any earlier node, graph input or initializer`)
    }
    node.outputs.forEach((o) => defined.add(o))
  })
}

async function compile(graph: Graph): Promise<Compiled> {
  checkNames(graph)
  const bytes = toModelBytes(graph)
  let session: ort.InferenceSession
  try {
    session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3, intraOpNumThreads: 1, interOpNumThreads: 1 })
  } catch (e) {
    throw explain(graph, e)
  }
  return {
    async run(feeds) {
      const inputs: Record<string, ort.Tensor> = {}
      for (const i of graph.inputs) {
        const t = feeds[i.name]
        if (!t) throw new Error(`missing feed for graph input "${i.name}"`)
        inputs[i.name] = toOrt(t.dtype === i.dtype ? t : { ...t, dtype: i.dtype, data: i.dtype === 'float64' ? Float64Array.from(t.data as Float32Array) : Float32Array.from(t.data as Float64Array) })
      }
      try {
        const out = await session.run(inputs)
        return Object.fromEntries(graph.outputs.map((o) => [o, fromOrt(out[o]!)]))
      } catch (e) {
        throw explain(graph, e)
      }
    },
    dispose() {
      void session.release()
    },
  }
}

export async function createOnnxRuntimeEngine(): Promise<Engine> {
  return {
    name: 'onnxruntime',
    version,
    // float64 kernels are missing for several ops of ORT's CPU provider (Elu, Softplus, Conv, pools, …)
    dtypes: ['float32'],
    supports: (node) => {
      if (!OP_SCHEMA[node.op]) return `${node.op} is not an op of the IR`
      // ONNX makes hidden_size optional (R's shape gives it); ORT's CPU kernels refuse a node without it
      // (a bare op probe, with no inputs, asks about the op in general)
      if (['RNN', 'GRU', 'LSTM'].includes(node.op) && node.attrs?.['hidden_size'] === undefined && node.inputs.length > 0) return `onnxruntime requires ${node.op}'s hidden_size attribute (ONNX makes it optional)`
      return true
    },
    compile,
  }
}
