// Training loops for claims about networks: the engine computes loss and gradients, the harness
// applies its own reference update (p ← p − lr·g), so a claim about a network does not depend on
// the engine's optimizer. Claims about optimizers use engine.optimizer instead.
import type { Compiled, Engine, Graph, TensorData } from '../contract/types.ts'
import { requireGrad } from './claim.ts'

export interface TrainOptions {
  feeds: Record<string, TensorData>
  params: Record<string, TensorData>
  loss: string
  lr: number
  steps: number
  /** stop early when true (checked every `every` steps on the current loss) */
  until?: (loss: number, step: number, params: Record<string, TensorData>) => boolean | Promise<boolean>
  every?: number
  /** keep every k-th loss in the curve (default: all) */
  curveEvery?: number
}

export interface TrainResult {
  params: Record<string, TensorData>
  losses: number[]
  steps: number
  finalLoss: number
}

function allZero(g: ArrayLike<number>): boolean {
  for (let i = 0; i < g.length; i++) if (g[i] !== 0) return false
  return true
}

/** p ← p − lr·g, in place (float32 or float64 alike). */
function sgdStep(p: { [i: number]: number; length: number }, g: ArrayLike<number>, lr: number): void {
  for (let i = 0; i < p.length; i++) p[i] = p[i]! - lr * g[i]!
}

/** One compiled graph, trained in place of a fresh copy of the params. */
export async function trainCompiled(c: Compiled, o: TrainOptions): Promise<TrainResult> {
  requireGrad(c)
  const names = Object.keys(o.params)
  const params: Record<string, TensorData> = Object.fromEntries(names.map((n) => [n, { ...o.params[n]!, data: o.params[n]!.data.slice() }]))
  const losses: number[] = []
  let last = NaN
  let step = 0
  for (; step < o.steps; step++) {
    const { value, grads } = await c.valueAndGrad({ ...o.feeds, ...params }, o.loss, names)
    last = value
    if (step % (o.curveEvery ?? 1) === 0) losses.push(value)
    if (!Number.isFinite(value)) break
    if (o.until && step % (o.every ?? 1) === 0 && (await o.until(value, step, params))) break
    // an all-zero gradient leaves the parameters where they are: every later step repeats this one
    if (names.every((n) => allZero(grads[n]!.data as Float64Array))) {
      step = o.steps
      break
    }
    for (const n of names) sgdStep(params[n]!.data as Float64Array, grads[n]!.data as Float64Array, o.lr)
  }
  return { params, losses, steps: step, finalLoss: last }
}

export async function train(engine: Engine, graph: Graph, o: TrainOptions): Promise<TrainResult> {
  const c = await engine.compile(graph)
  try {
    return await trainCompiled(c, o)
  } finally {
    c.dispose?.()
  }
}

/** Forward values of one output. */
export async function predict(c: Compiled, feeds: Record<string, TensorData>, output: string): Promise<number[]> {
  const out = await c.run(feeds)
  const t = out[output]
  if (!t) throw new Error(`graph has no output "${output}"`)
  return Array.from(t.data as ArrayLike<number>)
}

/** One epoch's mini-batches of example indices: a fresh seeded shuffle, cut into batches (the last may be short). */
export function epochBatches(n: number, batch: number, rng: import('../contract/rng.ts').Rng): number[][] {
  const order = rng.shuffle([...Array(n).keys()])
  const out: number[][] = []
  for (let i = 0; i < n; i += batch) out.push(order.slice(i, i + batch))
  return out
}
