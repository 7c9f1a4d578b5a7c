// The `tfjs-cpu` and `tfjs-wasm` engines: a contract Graph run as TensorFlow.js ops, gradients by
// tf.valueAndGrads, Hessian-vector products by nested tf.grads, optimizers by tf.train.*.
// tfjs's backend is global, so every call first selects this engine's backend.
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Compiled, Engine, Graph, InitSpec, Node, Optimizer, OptimizerSpec, TensorData } from '../contract/types.ts'
import { runtimeInputs, staticOperands } from '../contract/onnx_schema.ts'
import { TRANSLATIONS, tfjsSupports } from './tfjs/ops.ts'

export type Backend = 'cpu' | 'wasm'

let wasmReady: Promise<void> | undefined
async function use(backend: Backend): Promise<void> {
  if (backend === 'wasm' && !wasmReady) {
    const dist = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')
    setWasmPaths(`${dist}/`)
    wasmReady = tf.ready()
  }
  if (tf.getBackend() !== backend) {
    // the cpu backend prints an advertisement for tfjs-node once; keep test output clean
    const warn = console.warn
    console.warn = () => {}
    try {
      await tf.setBackend(backend)
      await tf.ready()
    } finally {
      console.warn = warn
    }
  }
}

/** Like tf.tidy, for results that are plain data rather than tensors. */
function scoped<T>(fn: () => T): T {
  tf.engine().startScope()
  try {
    return fn()
  } finally {
    tf.engine().endScope()
  }
}

// a copy (tfjs keeps the array it is given): the typed-array constructor copies and converts in one
// native pass, where Float32Array.from iterates in JS
const toTf = (t: TensorData): tf.Tensor => tf.tensor(new Float32Array(t.data as Float32Array), t.shape, 'float32')
const fromTf = (t: tf.Tensor): TensorData => ({ dtype: 'float32', shape: [...t.shape], data: t.dataSync() as Float32Array })

interface Step {
  node: Node
  label: string
  inputs: string[]
  k: Record<string, number[] | number>
}

function prepare(graph: Graph): Step[] {
  const defined = new Set([...graph.inputs.map((i) => i.name), ...Object.keys(graph.initializers ?? {})])
  return graph.nodes.map((node, i) => {
    const label = `node "${node.name ?? `#${i}`}" (${node.op})`
    const fail = (msg: string): never => {
      throw new Error(`Error in ${label}: ${msg}`)
    }
    const ok = tfjsSupports(node.op, node.attrs)
    if (ok !== true) fail(ok)
    for (const n of node.inputs) if (n !== '' && !defined.has(n)) fail(`input "${n}" is not defined by any earlier node, graph input or initializer`)
    node.outputs.forEach((o) => defined.add(o))
    return { node, label, inputs: runtimeInputs(node), k: staticOperands(graph, node, fail) }
  })
}

function compile(graph: Graph, backend: Backend): Compiled {
  const steps = prepare(graph)
  const floatInits = Object.entries(graph.initializers ?? {}).filter(([, t]) => t.dtype === 'float32' || t.dtype === 'float64')

  /** Evaluate the graph on tensors; `env` starts with the feeds (and differentiated leaves). */
  function exec(env: Map<string, tf.Tensor>): Map<string, tf.Tensor> {
    for (const [name, t] of floatInits) if (!env.has(name)) env.set(name, toTf(t))
    for (const s of steps) {
      const args = s.inputs.map((n) => (n === '' ? undefined : env.get(n)))
      let outs: tf.Tensor[]
      try {
        outs = TRANSLATIONS[s.node.op]!(tf, args.filter((a): a is tf.Tensor => a !== undefined), s.node.attrs ?? {}, s.k)
      } catch (e) {
        throw new Error(`Error in ${s.label}: ${(e as Error).message}`)
      }
      s.node.outputs.forEach((o, i) => outs[i] && env.set(o, outs[i]!))
    }
    return env
  }
  const feedEnv = (feeds: Record<string, TensorData>, skip: string[] = []) => {
    const env = new Map<string, tf.Tensor>()
    for (const i of graph.inputs) {
      if (skip.includes(i.name)) continue
      const t = feeds[i.name]
      if (!t) throw new Error(`missing feed for graph input "${i.name}"`)
      env.set(i.name, toTf(t))
    }
    return env
  }
  const scalarFn = (feeds: Record<string, TensorData>, of: string, wrt: string[]) => (...xs: tf.Tensor[]) => {
    const env = feedEnv(feeds, wrt)
    wrt.forEach((w, i) => env.set(w, xs[i]!))
    return exec(env).get(of)!.reshape([]) as tf.Scalar
  }
  const initial = (feeds: Record<string, TensorData>, w: string) => toTf(feeds[w] ?? graph.initializers![w]!)

  return {
    async run(feeds) {
      await use(backend)
      return scoped(() => {
        const env = exec(feedEnv(feeds))
        return Object.fromEntries(graph.outputs.map((o) => [o, fromTf(env.get(o)!)]))
      })
    },
    async valueAndGrad(feeds, of, wrt) {
      await use(backend)
      return scoped(() => {
        const { value, grads } = tf.valueAndGrads(scalarFn(feeds, of, wrt))(wrt.map((w) => initial(feeds, w)))
        return { value: value.dataSync()[0]!, grads: Object.fromEntries(wrt.map((w, i) => [w, fromTf(grads[i]!)])) }
      })
    },
    // H·v = ∇(∇f · v), by differentiating tfjs's own gradient
    async hessianVectorProduct(feeds, of, wrt, v) {
      await use(backend)
      return scoped(() => {
        const f = scalarFn(feeds, of, wrt)
        const vs = wrt.map((w) => toTf(v[w]!))
        const dot = (...xs: tf.Tensor[]) => tf.addN(tf.grads(f)(xs).map((g, i) => tf.sum(tf.mul(g, vs[i]!)))) as tf.Scalar
        const hv = tf.grads(dot)(wrt.map((w) => initial(feeds, w)))
        return Object.fromEntries(wrt.map((w, i) => [w, fromTf(hv[i]!)]))
      })
    },
  }
}

let variableCount = 0 // tf variable names are global: keep them unique

/** tf.train's update rules and the conventions they follow (stated in reports). */
function optimizer(spec: OptimizerSpec, backend: Backend): Optimizer {
  const p = (k: string, d: number) => spec.params?.[k] ?? d
  const make: Record<string, [() => tf.Optimizer, Record<string, string>]> = {
    sgd: [() => tf.train.sgd(spec.lr), {}],
    momentum: [() => tf.train.momentum(spec.lr, p('momentum', 0.9)), { momentum: 'heavy-ball' }],
    nesterov: [() => tf.train.momentum(spec.lr, p('momentum', 0.9), true), { momentum: 'nesterov-sutskever' }],
    adagrad: [() => tf.train.adagrad(spec.lr, p('initialAccumulator', 0.1)), { epsilon: 'inside-sqrt', epsilonValue: String(tf.backend().epsilon()), initialAccumulator: String(p('initialAccumulator', 0.1)) }],
    rmsprop: [() => tf.train.rmsprop(spec.lr, p('rho', 0.9), 0, p('epsilon', 1e-8)), { epsilon: 'inside-sqrt' }],
    adadelta: [() => tf.train.adadelta(spec.lr, p('rho', 0.95), p('epsilon', 1e-6)), { epsilon: 'inside-sqrt' }],
    adam: [() => tf.train.adam(spec.lr, p('beta1', 0.9), p('beta2', 0.999), p('epsilon', 1e-8)), { epsilon: 'outside-sqrt', biasCorrection: 'yes' }],
  }
  const entry = make[spec.rule]
  if (!entry) throw new Error(`tfjs has no optimizer for rule "${spec.rule}"`)
  if (p('weightDecay', 0) !== 0) throw new Error('tf.train optimizers have no weight decay')
  const opt = entry[0]()
  const vars = new Map<string, tf.Variable>()
  return {
    convention: entry[1],
    step(params, grads) {
      // step() is synchronous; switching to an already initialized backend is too
      if (tf.getBackend() !== backend) void tf.setBackend(backend)
      if (tf.getBackend() !== backend) throw new Error(`tfjs optimizer could not switch to the ${backend} backend (${tf.getBackend()} is active)`)
      for (const [k, t] of Object.entries(params)) {
        const v = vars.get(k)
        if (v) v.assign(toTf(t))
        else vars.set(k, tf.variable(toTf(t), true, `nnspec_${++variableCount}_${k}`))
      }
      tf.tidy(() => {
        let gs = Object.keys(params).map((k) => toTf(grads[k]!))
        if (spec.params?.['clipValue'] !== undefined) gs = gs.map((g) => tf.clipByValue(g, -spec.params!['clipValue']!, spec.params!['clipValue']!))
        if (spec.params?.['clipNorm'] !== undefined) {
          const norm = tf.sqrt(tf.addN(gs.map((g) => tf.sum(tf.square(g)))))
          const scale = tf.div(spec.params['clipNorm'], tf.maximum(norm, spec.params['clipNorm']))
          gs = gs.map((g) => tf.mul(g, scale))
        }
        opt.applyGradients(Object.fromEntries(Object.keys(params).map((k, i) => [vars.get(k)!.name, gs[i]!])))
      })
      return Object.fromEntries(Object.keys(params).map((k) => [k, fromTf(vars.get(k)!)]))
    },
  }
}

/** tf.initializers for a dense weight [fanIn, fanOut] (tfjs's own fan convention for 2-D shapes). */
function initialize(spec: InitSpec): TensorData {
  if (spec.shape.length !== 2) throw new Error('tfjs initializers are used here for 2-D weights only (tfjs lays conv kernels out as [kh, kw, in, out])')
  const seed = spec.seed
  const p = spec.params ?? {}
  const make: Record<string, () => ReturnType<typeof tf.initializers.zeros>> = {
    gaussian: () => tf.initializers.randomNormal({ mean: 0, stddev: p['std'] ?? 0.01, seed }),
    uniform: () => tf.initializers.randomUniform({ minval: -(p['limit'] ?? 0.05), maxval: p['limit'] ?? 0.05, seed }),
    'glorot-normal': () => tf.initializers.glorotNormal({ seed }),
    'glorot-uniform': () => tf.initializers.glorotUniform({ seed }),
    'he-normal': () => tf.initializers.heNormal({ seed }),
    'he-uniform': () => tf.initializers.heUniform({ seed }),
  }
  const init = make[spec.rule]
  if (!init) throw new Error(`tfjs has no ${spec.rule} initializer`)
  return scoped(() => fromTf(init().apply(spec.shape, 'float32')))
}

export async function createTfjsEngine(backend: Backend): Promise<Engine> {
  await use(backend)
  return {
    name: `tfjs-${backend}`,
    version: tf.version.tfjs,
    dtypes: ['float32'],
    supports: (node) => tfjsSupports(node.op, node.attrs),
    compile: async (graph) => compile(graph, backend),
    optimizer: (spec) => optimizer(spec, backend),
    initialize,
  }
}
