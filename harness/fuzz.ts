// Fuzzing an engine with malformed graphs and feeds (arbitraries/malformed.ts): every case must end in
// a result of the right shapes or an error naming the node, input or graph at fault; an unnamed error
// (a TypeError from deep inside), a wrong output shape or a hang is a finding.
import type { Engine } from '../contract/types.ts'
import { GraphValidationError, validateGraph } from '../contract/validate.ts'
import { malformedCase, type FuzzCase } from './arbitraries/malformed.ts'
import { messageOf } from './claim.ts'

export type FuzzOutcome = { kind: 'result' } | { kind: 'error'; message: string } | { kind: 'finding'; what: 'unnamed error' | 'wrong shape' | 'hang' | 'accepted bad feeds'; message: string }

/** How an error must begin or what it must name to say where the fault is. */
const NAMED = /node "|graph input "|Invalid graph|initializer "|graph output "|missing feed|feed "|cannot differentiate w\.r\.t\./

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T | 'hang'> =>
  Promise.race([p, new Promise<'hang'>((r) => setTimeout(() => r('hang'), ms).unref())])

export async function fuzzOne(engine: Engine, c: FuzzCase, timeoutMs = 10_000): Promise<FuzzOutcome> {
  let out: Awaited<ReturnType<Awaited<ReturnType<Engine['compile']>>['run']>> | 'hang'
  try {
    out = await withTimeout((async () => (await engine.compile(c.graph)).run(c.feeds))(), timeoutMs)
  } catch (e) {
    const message = messageOf(e)
    return NAMED.test(message) ? { kind: 'error', message } : { kind: 'finding', what: 'unnamed error', message: `${message} (${(e as Error)?.stack?.split('\n')[1]?.trim() ?? ''})` }
  }
  if (out === 'hang') return { kind: 'finding', what: 'hang', message: `no answer within ${timeoutMs} ms` }
  let shapes: ReturnType<typeof validateGraph>
  try {
    shapes = validateGraph(c.graph, { feeds: c.feeds })
  } catch (e) {
    if (!(e instanceof GraphValidationError)) throw e
    return { kind: 'finding', what: 'accepted bad feeds', message: `the engine returned a result, but ${e.message}` }
  }
  for (const name of c.graph.outputs) {
    const want = shapes.get(name)?.shape
    const got = out[name]?.shape
    if (!got || (want && want.every((d) => typeof d === 'number') && want.join() !== got.join())) {
      return { kind: 'finding', what: 'wrong shape', message: `output "${name}" has shape [${got?.join(',') ?? 'missing'}] but the graph defines [${want?.join(',')}]` }
    }
  }
  return { kind: 'result' }
}

export interface FuzzSummary {
  engine: string
  cases: number
  results: number
  errors: number
  findings: { seed: number; mutation: string; what: string; message: string }[]
}

/** `count` seeded cases from `seed` on one engine, in the engine's float type. */
export async function fuzz(engine: Engine, count: number, seed: number): Promise<FuzzSummary> {
  const dtype = engine.dtypes.includes('float64') ? 'float64' : 'float32'
  const s: FuzzSummary = { engine: engine.name, cases: 0, results: 0, errors: 0, findings: [] }
  for (let k = 0; k < count; k++) {
    const c = malformedCase(seed + k, dtype)
    const o = await fuzzOne(engine, c)
    s.cases++
    if (o.kind === 'result') s.results++
    else if (o.kind === 'error') s.errors++
    else s.findings.push({ seed: c.seed, mutation: c.mutation, what: o.what, message: o.message })
  }
  return s
}
