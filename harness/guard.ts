// The contract, checked at the boundary. Every engine a claim talks to is wrapped here: each value an
// adapter returns is validated (outputs present, typed arrays of the declared dtype and length,
// gradients for exactly the requested names with their parameters' shapes, a numeric loss), the feeds
// it was handed are checked unchanged after each call, and every call is recorded, so a watchdog can
// say which call an engine was in when it stopped answering. A broken rule is a ContractViolation
// naming the method, the tensor and the rule: an `error` of the claim, never a refutation.
import type { Compiled, DType, Engine, Graph, InitSpec, Node, Optimizer, OptimizerSpec, TensorData } from '../contract/types.ts'
import { Unsupported } from './unsupported.ts'

export class ContractViolation extends Error {
  override name = 'ContractViolation'
}

export interface Call {
  method: string
  graph: string
}

/** The engine call in progress or last made, in this process (what a hang report names). */
let last: Call | undefined
let listener: ((c: Call) => void) | undefined
export const lastCall = (): Call | undefined => last
export const describeCall = (c: Call | undefined): string => (c ? `last call: ${c.method} on ${c.graph}` : 'no engine call made yet')
/** A new claim starts with no call made. */
export function resetCalls(): void {
  last = undefined
}
/** The worker process forwards calls to the watchdog (only when they change, so a training loop sends one). */
export function onCall(fn: (c: Call) => void): void {
  listener = fn
}
function note(method: string, graph: string): void {
  if (last?.method === method && last.graph === graph) return
  last = { method, graph }
  listener?.(last)
}

/** A graph's name, or a description that finds it: `graph of 7 nodes (Gemm, Sigmoid, Sub, …) → loss`. */
export function graphLabel(g: Graph): string {
  const named = (g as Graph & { name?: string }).name
  if (named) return `graph "${named}"`
  const ops = [...new Set((g.nodes ?? []).map((n) => n?.op))]
  return `graph of ${g.nodes?.length ?? 0} nodes (${ops.slice(0, 4).join(', ')}${ops.length > 4 ? ', …' : ''}) → ${(g.outputs ?? []).join(', ')}`
}

const ARRAY_OF: Record<DType, string> = { float32: 'Float32Array', float64: 'Float64Array', int32: 'Int32Array', int64: 'BigInt64Array', bool: 'Uint8Array' }
const kindOf = (v: unknown): string => (v === null ? 'null' : ArrayBuffer.isView(v) ? Object.prototype.toString.call(v).slice(8, -1) : Array.isArray(v) ? 'an array' : typeof v)
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1)

/** Why `t` is not a well-formed TensorData (undefined when it is). */
export function tensorProblem(t: unknown, want?: { shape?: readonly number[]; dtype?: DType }): string | undefined {
  if (!t || typeof t !== 'object') return `is ${kindOf(t)}, not a TensorData { dtype, shape, data }`
  const { dtype, shape, data } = t as Partial<TensorData>
  if (typeof dtype !== 'string' || !(dtype in ARRAY_OF)) return `has dtype ${JSON.stringify(dtype)}, not one of ${Object.keys(ARRAY_OF).join(', ')}`
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) return `has shape ${JSON.stringify(shape)}, not an array of non-negative integers`
  if (kindOf(data) !== ARRAY_OF[dtype]) return `holds ${kindOf(data)} data, not the ${ARRAY_OF[dtype]} of its dtype ${dtype}`
  if ((data as ArrayLike<unknown>).length !== size(shape)) return `has ${(data as ArrayLike<unknown>).length} elements but its shape [${shape.join(',')}] needs ${size(shape)}`
  if (want?.dtype && dtype !== want.dtype) return `is ${dtype}, but the graph computes in ${want.dtype}`
  if (want?.shape && shape.join() !== want.shape.join()) return `has shape [${shape.join(',')}], not [${want.shape.join(',')}]`
  return undefined
}

/** A cheap fingerprint of a tensor's bytes (FNV-style over 32-bit words): detects an adapter writing into its inputs. */
export function checksum(t: TensorData): number {
  const d = t.data
  let h = 0x811c9dc5 ^ d.length
  if (d.byteLength % 4 === 0) {
    const w = new Int32Array(d.buffer, d.byteOffset, d.byteLength / 4)
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w[i]!, 0x01000193)
  } else {
    const b = new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
    for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193)
  }
  return h >>> 0
}

const isFloat = (d: DType) => d === 'float32' || d === 'float64'

/** The one float type of a graph's inputs and initializers, if it has exactly one. */
function floatType(g: Graph): DType | undefined {
  const types = new Set([...(g.inputs ?? []).map((i) => i.dtype), ...Object.values(g.initializers ?? {}).map((t) => t.dtype)].filter(isFloat))
  return types.size === 1 ? [...types][0] : undefined
}

export function guard(engine: Engine): Engine {
  const fail = (method: string, what: string, rule: string): never => {
    throw new ContractViolation(`${engine.name} broke the engine contract in ${method}: ${what} (rule: ${rule}; see contract/types.ts)`)
  }
  const guarded: Engine = {
    name: engine.name,
    version: engine.version,
    dtypes: engine.dtypes,
    supports(node: Node) {
      let r: unknown
      try {
        r = engine.supports(node)
      } catch (e) {
        const attrs = node.attrs && Object.keys(node.attrs).length > 0 ? `attributes ${JSON.stringify(node.attrs)}` : 'no attributes'
        return fail('supports()', `it threw on a ${node.op} node with ${attrs}: ${(e as Error)?.message ?? e}`, 'supports(node) returns true or a reason for any node; attrs are optional and absent ones take their ONNX defaults')
      }
      if (r !== true && (typeof r !== 'string' || r === '')) fail('supports()', `it returned ${JSON.stringify(r)} for ${node.op}`, 'supports(node) returns true or a non-empty reason')
      return r as true | string
    },
    async compile(graph: Graph) {
      const label = graphLabel(graph)
      const ft = floatType(graph)
      // the harness casts explicitly (castGraph) where it wants another precision; never silently
      if (ft && Array.isArray(engine.dtypes) && !engine.dtypes.includes(ft)) throw new Error(`harness bug: a ${ft} graph was handed to ${engine.name}, which computes in ${engine.dtypes.join(', ')} (${label})`)
      // a node the engine declines (supports() gives a reason) skips the claim with that reason: an engine
      // is never asked to compile what it says it cannot run (nor trusted to refuse it itself)
      for (const node of graph.nodes ?? []) {
        const ok = guarded.supports(node)
        if (ok !== true) throw new Unsupported(`${node.op}: ${ok}`)
      }
      note('compile', label)
      const c = (await engine.compile(graph)) as Compiled | undefined
      if (!c || typeof c.run !== 'function') fail('compile()', `it resolved to ${kindOf(c)} for ${label}`, 'compile(graph) resolves to a Compiled with a run(feeds) method')
      return guardCompiled(c!, graph, label, fail)
    },
  }
  if (engine.optimizer) guarded.optimizer = (spec) => guardOptimizer(engine.optimizer!(spec), spec, fail)
  if (engine.initialize) {
    guarded.initialize = (spec: InitSpec) => {
      note('initialize', `${spec.rule} [${spec.shape.join(',')}]`)
      const t = engine.initialize!(spec)
      const p = tensorProblem(t, { shape: spec.shape })
      if (p) fail(`initialize(${spec.rule})`, `the initialized weight ${p}`, 'initialize(spec) returns a float tensor of spec.shape')
      if (!isFloat(t.dtype)) fail(`initialize(${spec.rule})`, `the initialized weight is ${t.dtype}`, 'initialize(spec) returns a float tensor')
      return t
    }
  }
  return guarded
}

type Fail = (method: string, what: string, rule: string) => never

function guardCompiled(c: Compiled, graph: Graph, label: string, fail: Fail): Compiled {
  const dtype = floatType(graph)
  /** A gradient has its parameter's shape and dtype (a fed input's, or an initializer's). */
  const like = (feeds: Record<string, TensorData>, n: string) => {
    const p = feeds[n] ?? graph.initializers?.[n]
    return p ? { shape: p.shape, dtype: p.dtype } : {}
  }
  /** Run `call` with the feeds fingerprinted before and compared after. */
  async function watched<T>(method: string, feeds: Record<string, TensorData>, call: () => Promise<T>): Promise<T> {
    note(method, label)
    const before = Object.entries(feeds ?? {}).map(([k, t]) => [k, checksum(t)] as const)
    const out = await call()
    for (const [k, h] of before) if (checksum(feeds[k]!) !== h) fail(`${method}()`, `the engine modified its input "${k}" (its bytes changed during the call) on ${label}`, 'feeds are read-only: an engine copies what it needs')
    return out
  }
  const checkOutputs = (method: string, out: unknown, names: readonly string[], want: (n: string) => { shape?: readonly number[]; dtype?: DType }, rule: string) => {
    if (!out || typeof out !== 'object') fail(`${method}()`, `it resolved to ${kindOf(out)} on ${label}`, rule)
    const rec = out as Record<string, unknown>
    for (const n of names) {
      if (!(n in rec)) fail(`${method}()`, `"${n}" is missing from its result on ${label} (got ${Object.keys(rec).map((k) => `"${k}"`).join(', ') || 'nothing'})`, rule)
      const p = tensorProblem(rec[n], want(n))
      if (p) fail(`${method}()`, `"${n}" ${p} on ${label}`, rule)
    }
  }
  const wrapped: Compiled = {
    async run(feeds) {
      const out = await watched('run', feeds, () => c.run(feeds))
      checkOutputs('run', out, graph.outputs, () => ({}), 'run(feeds) resolves to a TensorData for every graph output')
      for (const n of graph.outputs) {
        const t = out[n]!
        if (dtype && isFloat(t.dtype) && t.dtype !== dtype) fail('run()', `output "${n}" is ${t.dtype} but the graph computes in ${dtype} on ${label}`, 'float outputs have the float type of the graph')
      }
      return out
    },
    ...(c.dispose ? { dispose: () => c.dispose!() } : {}),
  }
  if (c.valueAndGrad) {
    wrapped.valueAndGrad = async (feeds, of, wrt) => {
      const r = await watched('valueAndGrad', feeds, () => c.valueAndGrad!(feeds, of, wrt))
      const rule = 'valueAndGrad(feeds, of, wrt) resolves to { value: number, grads } with a gradient for exactly each name in wrt, shaped like that parameter'
      if (!r || typeof r !== 'object') fail('valueAndGrad()', `it resolved to ${kindOf(r)} for the gradient of "${of}" on ${label}`, rule)
      if (typeof r.value !== 'number') fail('valueAndGrad()', `value is ${kindOf(r.value)}, not a number, for "${of}" on ${label}`, rule)
      const extra = Object.keys(r.grads ?? {}).filter((k) => !wrt.includes(k))
      if (extra.length > 0) fail('valueAndGrad()', `it returned gradients for ${extra.map((k) => `"${k}"`).join(', ')} that were not asked for on ${label}`, rule)
      checkOutputs('valueAndGrad', r.grads, wrt, (n) => like(feeds, n), rule)
      if (!Number.isFinite(r.value) && Object.values(feeds).every((t) => !isFloat(t.dtype) || Array.from(t.data as Float64Array).every(Number.isFinite))) {
        // a loss may overflow honestly; then the forward pass must say so too
        const fwd = (await c.run(feeds))[of]
        const v = fwd && fwd.data.length === 1 ? Number(fwd.data[0]) : NaN
        if (Number.isFinite(v)) fail('valueAndGrad()', `value is ${r.value} but run() gives ${v} for "${of}" on ${label}`, 'the value is the forward value of `of`')
      }
      return r
    }
  }
  if (c.hessianVectorProduct) {
    wrapped.hessianVectorProduct = async (feeds, of, wrt, v) => {
      const r = await watched('hessianVectorProduct', feeds, () => c.hessianVectorProduct!(feeds, of, wrt, v))
      checkOutputs('hessianVectorProduct', r, wrt, (n) => like(feeds, n), 'hessianVectorProduct resolves to a tensor for exactly each name in wrt, shaped like that parameter')
      return r
    }
  }
  return wrapped
}

function guardOptimizer(opt: Optimizer, spec: OptimizerSpec, fail: Fail): Optimizer {
  if (!opt || typeof opt.step !== 'function') fail(`optimizer(${spec.rule})`, `it returned ${kindOf(opt)}`, 'optimizer(spec) returns an Optimizer with a step(params, grads) method')
  return {
    ...(opt.convention ? { convention: opt.convention } : {}),
    step(params, grads) {
      note('optimizer.step', spec.rule)
      const out = opt.step(params, grads) as Record<string, TensorData> | undefined
      if (!out || typeof out !== 'object') fail(`optimizer(${spec.rule}).step()`, `it returned ${kindOf(out)}`, 'step(params, grads) returns the new value of every parameter')
      for (const [n, p] of Object.entries(params)) {
        const problem = tensorProblem(out![n], { shape: p.shape, dtype: p.dtype })
        if (problem) fail(`optimizer(${spec.rule}).step()`, `the new "${n}" ${problem}`, 'step(params, grads) returns every parameter with its shape and dtype')
      }
      return out!
    },
  }
}

/** The engine as one claim sees it, counting calls per method (kept in the record: what the claim exercised). */
export function countCalls(engine: Engine): { engine: Engine; counts: Record<string, number> } {
  const counts: Record<string, number> = {}
  const tick = (k: string) => (counts[k] = (counts[k] ?? 0) + 1)
  const wrapped: Engine = {
    ...engine,
    supports: (n) => engine.supports(n),
    async compile(graph) {
      tick('compile')
      const c = await engine.compile(graph)
      const w: Compiled = { ...c, run: (f) => (tick('run'), c.run(f)) }
      if (c.valueAndGrad) w.valueAndGrad = (f, of, wrt) => (tick('valueAndGrad'), c.valueAndGrad!(f, of, wrt))
      if (c.hessianVectorProduct) w.hessianVectorProduct = (f, of, wrt, v) => (tick('hessianVectorProduct'), c.hessianVectorProduct!(f, of, wrt, v))
      return w
    },
  }
  if (engine.optimizer) wrapped.optimizer = (spec) => {
    const o = engine.optimizer!(spec)
    return { ...o, step: (p, g) => (tick('optimizer.step'), o.step(p, g)) }
  }
  if (engine.initialize) wrapped.initialize = (spec) => (tick('initialize'), engine.initialize!(spec))
  return { engine: wrapped, counts }
}
