// jax-js under the gate: @jax-js/jax on its WebAssembly backend, in float32 (the default export) and
// float64 (`jax-js.ts#float64`). Forward through the IR's ops as jax-js calls (jax-js/ops.ts),
// gradients through jax-js's own valueAndGrad, Hessian-vector products through its own jvp of grad.
// jax-js ships no optimizers and no initializers, so claims that need them skip, saying so: an adapter
// that wrote them would test itself. Disagreements found are in ci/expectations/jax-js.txt, each
// checked against jax-js's source, with a standalone reproduction in ci/findings/jax-js/.
import type { Compiled, Engine, FloatDType, Graph, Node, TensorData } from '../../contract/types.ts'
import { runtimeInputs, staticOperands } from '../../contract/onnx_schema.ts'
import { OPS, unsupported, type Attrs } from './jax-js/ops.ts'

// jax-js checks `instanceof Float16Array`, which Node 20 lacks: an empty class makes the check false
;(globalThis as { Float16Array?: unknown }).Float16Array ??= class Float16Array {}
const jax = await import('@jax-js/jax')
const { numpy: np, valueAndGrad, grad, jvp, defaultDevice } = jax
type Arr = InstanceType<typeof jax.Array>
defaultDevice('wasm')
const version = '0.1.25'

const isFloat = (t: TensorData) => t.dtype === 'float32' || t.dtype === 'float64'
// np.array throws on an empty buffer ("Expected a number for constant"; np.zeros makes empty arrays fine)
const arrayOf = (t: TensorData, dtype: FloatDType): Arr =>
  t.data.length === 0
    ? np.zeros(t.shape, { dtype: dtype === 'float32' ? np.float32 : np.float64 })
    : np.array(dtype === 'float32' ? Float32Array.from(t.data as Float32Array) : Float64Array.from(t.data as Float64Array), { shape: t.shape })
const label = (n: Node, i: number) => `node "${n.name ?? `#${i}`}" (${n.op})`

/** The graph, evaluated on jax-js arrays: every use takes a reference, and everything is released at the end. */
function interpret(graph: Graph, statics: Attrs[], env: Map<string, Arr>, keep: string[]): Arr[] {
  try {
    graph.nodes.forEach((node, i) => {
      const ins = runtimeInputs(node).filter((n) => n !== '').map((n) => {
        const v = env.get(n)
        if (!v) throw new Error(`Error in ${label(node, i)}: input "${n}" has no value`)
        return v.ref
      })
      let out: Arr | Arr[]
      try {
        out = OPS[node.op]!(ins, { ...node.attrs, ...statics[i] })
      } catch (e) {
        throw new Error(`Error in ${label(node, i)}: jax-js: ${(e as Error).message.split('\n')[0]}`)
      }
      ;[out].flat().forEach((v, k) => node.outputs[k] && env.set(node.outputs[k]!, v))
    })
    return keep.map((k) => {
      const v = env.get(k)
      if (!v) throw new Error(`graph output "${k}" has no value`)
      return v.ref
    })
  } finally {
    for (const v of env.values()) v.dispose()
  }
}

function compileFor(graph: Graph, dtype: FloatDType): Compiled {
  const statics = graph.nodes.map((n, i) => staticOperands(graph, n, (m) => {
    throw new Error(`Error in ${label(n, i)}: ${m}`)
  }))
  const floats = Object.entries(graph.initializers ?? {}).filter(([, t]) => isFloat(t))
  /** Feeds and float initializers as fresh arrays (except the names given as parameters). */
  const environment = (feeds: Record<string, TensorData>, params: Record<string, Arr> = {}) => {
    const env = new Map<string, Arr>(Object.entries(params))
    for (const [k, t] of floats) if (!env.has(k)) env.set(k, arrayOf(t, dtype))
    for (const i of graph.inputs) {
      const t = feeds[i.name]
      if (!t) throw new Error(`missing feed for graph input "${i.name}"`)
      if (!env.has(i.name)) env.set(i.name, arrayOf(t, dtype))
    }
    return env
  }
  const read = (a: Arr): TensorData => ({ dtype, shape: [...a.shape], data: a.dataSync() as Float32Array | Float64Array })
  const paramsOf = (feeds: Record<string, TensorData>, wrt: string[]) =>
    Object.fromEntries(wrt.map((w) => {
      const t = feeds[w] ?? graph.initializers?.[w]
      if (!t) throw new Error(`cannot differentiate w.r.t. "${w}": not a graph input or initializer`)
      return [w, arrayOf(t, dtype)]
    }))
  /** The scalar `of` as a function of the parameters (what jax-js differentiates). */
  const lossFn = (feeds: Record<string, TensorData>, of: string) => (params: Record<string, Arr>) => {
    const [y] = interpret(graph, statics, environment(feeds, params), [of])
    if (y!.size !== 1) {
      const shape = y!.shape
      y!.dispose()
      throw new Error(`"${of}" must be a scalar to take its gradient, has shape [${shape.join(',')}]`)
    }
    return np.reshape(y!, [])
  }
  return {
    async run(feeds) {
      const outs = interpret(graph, statics, environment(feeds), graph.outputs)
      return Object.fromEntries(graph.outputs.map((o, k) => [o, read(outs[k]!)]))
    },
    async valueAndGrad(feeds, of, wrt) {
      const [value, grads] = valueAndGrad(lossFn(feeds, of))(paramsOf(feeds, wrt)) as [Arr, Record<string, Arr>]
      return { value: Number(value.item()), grads: Object.fromEntries(wrt.map((w) => [w, read(grads[w]!)])) }
    },
    async hessianVectorProduct(feeds, of, wrt, v) {
      const gradOf = grad(lossFn(feeds, of)) as (p: Record<string, Arr>) => Record<string, Arr>
      const tangents = Object.fromEntries(wrt.map((w) => [w, arrayOf(v[w]!, dtype)]))
      const [g, hv] = jvp(gradOf, [paramsOf(feeds, wrt)], [tangents]) as [Record<string, Arr>, Record<string, Arr>]
      for (const a of Object.values(g)) a.dispose()
      return Object.fromEntries(wrt.map((w) => [w, read(hv[w]!)]))
    },
  }
}

function jaxEngine(dtype: FloatDType): Engine {
  return {
    name: dtype === 'float32' ? 'jax-js' : 'jax-js-f64',
    version,
    dtypes: [dtype],
    supports: (node) => unsupported(node) ?? true,
    compile: async (graph) => compileFor(graph, dtype),
  }
}

export const variants = { float64: () => jaxEngine('float64') }
export default jaxEngine('float32')
