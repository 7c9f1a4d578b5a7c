// Coalescing the gradient calls of concurrent trials. `trials()` runs its trials concurrently
// inside `concurrently()`; every engine a claim sees is wrapped by `batching()`, whose compiled
// graphs queue `valueAndGrad` calls made while trials run and, once every trial is waiting (the
// next macrotask), answer the whole queue with one call on the replicated graph (replicate.ts).
//
// Exactness: the replicated loss is Σᵣ sᵣ·Lᵣ with a fed s = 1, so ∂/∂θᵣ is exactly ∂Lᵣ/∂θᵣ and
// ∂/∂sᵣ is exactly Lᵣ: each trial gets its own value and gradients, whatever else is in the batch.
// When a graph cannot be replicated, or the engine fails on the replicated one, the calls run one
// by one as before, so an engine's own error reaches the claim unchanged.
import type { Compiled, Engine, FloatDType, Graph, TensorData, ValueAndGrad } from '../contract/types.ts'
import { NotReplicable, REPLICAS, floatTypeOf, needsCount, replicate } from './replicate.ts'
import { expectClose, Mismatch, tolerance } from './assert.ts'
import { td } from './tensors.ts'

let active = 0 // concurrent trial scopes now running

/** Run fn(0…n−1) concurrently; results in order, and the first failure (in trial order) rethrown. */
export async function concurrently<T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  active++
  try {
    const settled = await Promise.allSettled(Array.from({ length: n }, (_, i) => fn(i)))
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')
    if (failed) throw failed.reason
    return settled.map((s) => (s as PromiseFulfilledResult<T>).value)
  } finally {
    active--
  }
}

interface Request {
  feeds: Record<string, TensorData>
  of: string
  wrt: string[]
  resolve: (v: ValueAndGrad) => void
  reject: (e: unknown) => void
}

const SCALE = '__replica_scale'
const TOTAL = '__replica_total'

/** Stack equal-shaped tensors along a new leading axis. */
function stack(ts: TensorData[]): TensorData {
  const first = ts[0]!
  const Ctor = first.data.constructor as new (n: number) => Float32Array
  const data = new Ctor(first.data.length * ts.length)
  ts.forEach((t, r) => data.set(t.data as Float32Array, r * first.data.length))
  return { dtype: first.dtype, shape: [ts.length, ...first.shape], data }
}

/** Feeds of equal shapes can be stacked (a graph with symbolic dims may be fed different ones). */
function sameShapes(group: Request[]): boolean {
  const first = group[0]!.feeds
  const names = Object.keys(first)
  return group.every((q) => Object.keys(q.feeds).length === names.length && names.every((n) => {
    const [a, b] = [q.feeds[n]?.shape, first[n]!.shape]
    return a !== undefined && a.length === b.length && a.every((d, i) => d === b[i])
  }))
}

const unstack = (t: TensorData, r: number): TensorData => {
  const size = t.data.length / t.shape[0]!
  return { dtype: t.dtype, shape: t.shape.slice(1), data: (t.data as Float32Array).slice(r * size, (r + 1) * size) }
}

class BatchingCompiled {
  private queue: Request[] = []
  private replicated = new Map<string, Promise<Compiled | undefined>>() // by loss name (and count, where the graph needs it); undefined = not replicable

  private readonly dtype: FloatDType
  /** a graph with Conv is replicated for each replica count it meets (trials that stop early shrink it) */
  private readonly perCount: boolean

  constructor(private engine: Engine, private graph: Graph, private inner: Compiled, private note?: (msg: string) => void) {
    this.dtype = floatTypeOf(graph)
    this.perCount = needsCount(graph)
  }

  valueAndGrad(feeds: Record<string, TensorData>, of: string, wrt: string[]): Promise<ValueAndGrad> {
    if (active === 0) return this.inner.valueAndGrad!(feeds, of, wrt)
    return new Promise((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => void this.flush())
      this.queue.push({ feeds, of, wrt, resolve, reject })
    })
  }

  private async flush(): Promise<void> {
    const queue = this.queue
    this.queue = []
    const groups = new Map<string, Request[]>()
    for (const q of queue) {
      const key = `${q.of}|${q.wrt.join(',')}`
      const group = groups.get(key)
      if (group) group.push(q)
      else groups.set(key, [q])
    }
    for (const group of groups.values()) await this.answer(group)
  }

  private keyOf(of: string, n: number): string {
    return this.perCount ? `${of}#${n}` : of
  }

  private async answer(group: Request[]): Promise<void> {
    const key = this.keyOf(group[0]!.of, group.length)
    const c = group.length > 1 && sameShapes(group) ? await this.replicatedFor(group[0]!, group.length) : undefined
    if (c) {
      let answers: ValueAndGrad[] | undefined
      try {
        answers = await this.batched(c, group)
      } catch {
        this.replicated.set(key, Promise.resolve(undefined)) // the engine cannot run it: one by one from now on
      }
      if (answers) {
        const disagreement = this.verified.has(key) ? undefined : await this.verifyEnds(group, answers)
        this.verified.add(key)
        if (!disagreement) return group.forEach((q, r) => q.resolve(answers![r]!))
        // the claim is about its declared graph: run that, one by one, and say why
        this.note?.(disagreement)
        this.replicated.set(key, Promise.resolve(undefined))
      }
    }
    await this.oneByOne(group)
  }

  private verified = new Set<string>()

  /**
   * The first and the last replica against the declared graph: an engine that mixes replicas up in
   * a rewrite (a grouped Conv reading group 0's channels for every group) leaves replica 0 right.
   */
  private async verifyEnds(group: Request[], answers: ValueAndGrad[]): Promise<string | undefined> {
    const n = group.length
    return (await this.verify(group[0]!, answers[0]!, n)) ?? (n > 1 ? await this.verify(group[n - 1]!, answers[n - 1]!, n) : undefined)
  }

  /**
   * The claim declared a graph; the batched answer comes from its rewrite (Gemm as Transpose/MatMul,
   * …). Once per loss (and replica count), replicas' answers are compared with the declared graph's,
   * so a claim never measures an op it did not ask for: on a disagreement the trials run the declared
   * graph one by one, and the claim's evidence says what disagreed.
   */
  private async verify(q: Request, batched: ValueAndGrad, n: number): Promise<string | undefined> {
    const declared = await this.inner.valueAndGrad!(q.feeds, q.of, q.wrt)
    const size = Object.values(q.feeds).reduce((n, t) => n + t.data.length, 0)
    const tol = tolerance(this.dtype, { reduction: size })
    try {
      expectClose(batched.value, declared.value, { what: `batched loss "${q.of}"`, oracle: 'the declared graph', tol, replay: '' })
      for (const w of q.wrt) expectClose(batched.grads[w]!, declared.grads[w]!, { what: `batched ∂${q.of}/∂${w}`, oracle: 'the declared graph', tol, replay: '' })
    } catch (e) {
      if (!(e instanceof Mismatch)) throw e
      const ops = (g: Graph) => new Set(g.nodes.map((n) => n.op))
      const [was, now] = [ops(this.graph), ops(replicate(this.graph, n))]
      return `${e.message.replace(/; replay: $/, '')}: the declared graph (${[...was].filter((o) => !now.has(o)).join(', ') || 'its ops'}) and its batched rewrite (${[...now].filter((o) => !was.has(o)).join(', ')}, the loss read from ∂/∂sᵣ) disagree on this engine, so the trials ran the declared graph one by one`
    }
    return undefined
  }

  private async oneByOne(group: Request[]): Promise<void> {
    for (const q of group) {
      try {
        q.resolve(await this.inner.valueAndGrad!(q.feeds, q.of, q.wrt))
      } catch (e) {
        q.reject(e)
      }
    }
  }

  private async batched(c: Compiled, group: Request[]): Promise<ValueAndGrad[]> {
    const { of, wrt } = group[0]!
    const feeds: Record<string, TensorData> = {}
    for (const name of Object.keys(group[0]!.feeds)) feeds[name] = stack(group.map((q) => q.feeds[name]!))
    const n = group.length
    feeds[SCALE] = td(this.dtype, [n], new Array<number>(n).fill(1))
    const { grads } = await c.valueAndGrad!(feeds, TOTAL, [...wrt, SCALE])
    const losses = grads[SCALE]!.data as Float32Array
    return group.map((_, r) => ({ value: losses[r]!, grads: Object.fromEntries(wrt.map((w) => [w, unstack(grads[w]!, r)])) }))
  }

  private replicatedFor(q: Request, n: number): Promise<Compiled | undefined> {
    const key = this.keyOf(q.of, n)
    const known = this.replicated.get(key)
    if (known) return known
    const inputs = new Set(this.graph.inputs.map((i) => i.name))
    const make = async (): Promise<Compiled | undefined> => {
      // gradients w.r.t. a shared initializer would sum over replicas: not this trick's business
      if (!q.wrt.every((w) => inputs.has(w))) return undefined
      let g: Graph
      try {
        g = replicate(this.graph, n)
      } catch (e) {
        if (e instanceof NotReplicable) return undefined
        throw e
      }
      g.inputs.push({ name: SCALE, dtype: this.dtype, shape: [REPLICAS] })
      const weighted = `${TOTAL}/weighted`
      g.nodes.push({ op: 'Mul', inputs: [q.of, SCALE], outputs: [weighted], name: weighted }, { op: 'ReduceSum', inputs: [weighted], outputs: [TOTAL], attrs: { keepdims: 0 }, name: TOTAL })
      g.outputs = [TOTAL]
      try {
        return await this.engine.compile(g)
      } catch {
        return undefined
      }
    }
    const p = make()
    this.replicated.set(key, p)
    return p
  }
}

/** The engine as claims see it: the same, except that concurrent trials share gradient calls (`note` hears when they cannot). */
export function batching(engine: Engine, note?: (msg: string) => void): Engine {
  return new Proxy(engine, {
    get(target, prop, receiver) {
      if (prop !== 'compile') return Reflect.get(target, prop, receiver)
      return async (graph: Graph): Promise<Compiled> => {
        const inner = await target.compile(graph)
        if (!inner.valueAndGrad) return inner
        const b = new BatchingCompiled(target, graph, inner, note)
        return new Proxy(inner, {
          get: (t, p, r) => (p === 'valueAndGrad' ? b.valueAndGrad.bind(b) : Reflect.get(t, p, r)),
        })
      }
    },
  })
}
