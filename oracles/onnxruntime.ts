// The `onnxruntime` engine: forward only. Each compiled graph is one InferenceSession, created once
// and run many times. No valueAndGrad: claims that need gradients skip here with that reason. The
// same adapter serves onnxruntime-web (ci/engines/onnxruntime-web.ts): both runtimes share this API.
import * as ortNode from 'onnxruntime-node'
import { createRequire } from 'node:module'
import type { Compiled, Engine, Graph, TensorData } from '../contract/types.ts'
import { OP_SCHEMA } from '../contract/onnx_schema.ts'
import { toModelBytes } from './onnx_model.ts'

/** What this adapter uses of an ONNX Runtime module (onnxruntime-node and onnxruntime-web both provide it). */
export type Ort = Pick<typeof ortNode, 'InferenceSession' | 'Tensor'>
type OrtTensor = InstanceType<Ort['Tensor']>

function toOrt(ort: Ort, t: TensorData): OrtTensor {
  if (t.dtype === 'float32' || t.dtype === 'float64') return new ort.Tensor(t.dtype, t.data as Float32Array | Float64Array, t.shape)
  if (t.dtype === 'int64') return new ort.Tensor('int64', t.data as BigInt64Array, t.shape)
  if (t.dtype === 'int32') return new ort.Tensor('int32', t.data as Int32Array, t.shape)
  return new ort.Tensor('bool', t.data as Uint8Array, t.shape)
}

/** An ORT output as TensorData in its own type: floats, MaxPool's int64 Indices, Dropout's bool mask. */
function fromOrt(t: OrtTensor): TensorData {
  const shape = [...t.dims]
  if (t.type === 'int64') return { dtype: 'int64', shape, data: BigInt64Array.from(t.data as BigInt64Array) }
  if (t.type === 'int32') return { dtype: 'int32', shape, data: Int32Array.from(t.data as Int32Array) }
  if (t.type === 'bool') return { dtype: 'bool', shape, data: Uint8Array.from(t.data as Uint8Array) }
  const dtype = t.type === 'float64' ? 'float64' : 'float32'
  return { dtype, shape, data: dtype === 'float64' ? Float64Array.from(t.data as Float64Array) : Float32Array.from(t.data as Float32Array) }
}

function checkNames(graph: Graph): void {
  const defined = new Set([...graph.inputs.map((i) => i.name), ...Object.keys(graph.initializers ?? {})])
  graph.nodes.forEach((node, i) => {
    for (const n of node.inputs) {
      if (n !== '' && !defined.has(n)) throw new Error(`Error in node "${node.name ?? `#${i}`}" (${node.op}): input "${n}" is not defined by any earlier node, graph input or initializer`)
    }
    node.outputs.forEach((o) => defined.add(o))
  })
}

/** An engine on an ONNX Runtime module: one session per compiled graph, float32, single-threaded. */
export function ortEngine(ort: Ort, name: string, version: string, sessionOptions: Record<string, unknown> = {}): Engine {
  /** ORT names the failing node in its messages; add the graph's op list for context. */
  const explain = (graph: Graph, e: unknown) => new Error(`${name}: ${(e as Error).message.trim()} [graph ops: ${graph.nodes.map((n) => n.op).join(' ')}]`)
  async function compile(graph: Graph): Promise<Compiled> {
    checkNames(graph)
    const bytes = toModelBytes(graph)
    let session: Awaited<ReturnType<Ort['InferenceSession']['create']>>
    try {
      session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3, ...sessionOptions })
    } catch (e) {
      throw explain(graph, e)
    }
    return {
      async run(feeds) {
        const inputs: Record<string, OrtTensor> = {}
        for (const i of graph.inputs) {
          const t = feeds[i.name]
          if (!t) throw new Error(`missing feed for graph input "${i.name}"`)
          inputs[i.name] = toOrt(ort, t)
        }
        try {
          const out = await session.run(inputs)
          return Object.fromEntries(graph.outputs.map((o) => [o, fromOrt(out[o]! as OrtTensor)]))
        } catch (e) {
          throw explain(graph, e)
        }
      },
      dispose() {
        void session.release()
      },
    }
  }
  return {
    name,
    version,
    // float64 kernels are missing for several ops of ORT's CPU provider (Elu, Softplus, Conv, pools, …)
    dtypes: ['float32'],
    supports: (node) => {
      if (!OP_SCHEMA[node.op]) return `${node.op} is not an op of the IR`
      // ONNX makes hidden_size optional (R's shape gives it); ORT's CPU kernels refuse a node without it
      // (a bare op probe, with no inputs, asks about the op in general)
      if (['RNN', 'GRU', 'LSTM'].includes(node.op) && node.attrs?.['hidden_size'] === undefined && node.inputs.length > 0) return `${name} requires ${node.op}'s hidden_size attribute (ONNX makes it optional)`
      return true
    },
    compile,
  }
}

export async function createOnnxRuntimeEngine(): Promise<Engine> {
  const version = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version
  return ortEngine(ortNode, 'onnxruntime', version, { intraOpNumThreads: 1, interOpNumThreads: 1 })
}
