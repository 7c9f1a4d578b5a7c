// The pool: worker processes (worker.ts) that run claims one at a time, and a watchdog per claim. A
// claim whose worker stops answering past its time limit is killed and recorded as an `error` naming
// the engine call it was in; a worker that dies (exit, signal, out of memory, uncaught exception) is
// recorded the same way with its exit code or signal; the run goes on with a fresh worker. A worker
// serves one engine module (a claim of another module's engine gets a fresh process). Every job ends as exactly one
// record, and no worker outlives the pool.
import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { newRecord, noResponse, type ClaimMeta, type ClaimRecord } from '../claim.ts'
import { moduleOf } from '../engines.ts'
import { describeCall, type Call } from '../guard.ts'
import type { ToPool, ToWorker } from './protocol.ts'
import { ROOT, specFileOf } from './selection.ts'

export interface Job {
  key: string
  meta: ClaimMeta
  engine: string
  seed: number
  /** the claim's own time limit (ms); the watchdog waits a little longer, so the worker's own timer fires first when it can */
  timeoutMs: number
  /** expected duration, for scheduling the longest first */
  cost: number
}

export interface PoolOptions {
  workers: number
  onRecord?: (rec: ClaimRecord) => void
}

/** How much longer than a claim's limit the watchdog waits before it kills the worker. */
const grace = (timeoutMs: number) => 1000 + 0.1 * timeoutMs

const TAIL = 2000
const all = new Set<ChildProcess>()
process.on('exit', () => {
  for (const c of all) c.kill('SIGKILL')
})

function errorRecord(job: Job, message: string, ms: number): ClaimRecord {
  const rec = newRecord(job.meta, job.engine, job.seed)
  return { ...rec, status: 'error', message: `${job.meta.id} @ ${job.engine}: error: ${message}; replay: ${rec.replay}`, durationMs: Math.round(ms) }
}

class Slot {
  private child?: ChildProcess
  private ready?: Promise<string | undefined>
  private output = ''
  private call?: Call
  private crash?: string
  private busy = false
  private last?: ClaimRecord
  /** engines this worker has loaded (a death before that is the engine module's doing) */
  loaded = new Set<string>()
  /** the one engine module this slot's worker serves (engines change process globals: see run()) */
  engine?: string

  private start(): Promise<string | undefined> {
    const child = fork(join(ROOT, 'harness/runner/worker_entry.js'), [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
      env: { ...process.env, NNSPEC_WORKER: String(process.pid) },
    })
    all.add(child)
    this.child = child
    this.output = ''
    this.crash = undefined
    this.loaded = new Set()
    const keep = (b: Buffer) => (this.output = (this.output + b.toString()).slice(-TAIL))
    child.stdout!.on('data', keep)
    child.stderr!.on('data', keep)
    child.on('message', (m: ToPool) => {
      if (m.type === 'call') this.call = m.call
      else if (m.type === 'loaded') this.loaded.add(m.engine)
      else if (m.type === 'crash') {
        this.crash = m.message
        // a crash between claims comes from a callback the last claim left behind: it is that claim's error
        if (!this.busy && this.last) Object.assign(this.last, { status: 'error', verdict: undefined, message: `${this.last.id} @ ${this.last.engine}: error: the engine crashed its worker after this claim reported (${m.message}); replay: ${this.last.replay}` })
      }
    })
    child.on('exit', () => {
      all.delete(child)
      if (this.child === child) [this.child, this.ready] = [undefined, undefined]
    })
    return new Promise((resolve) => {
      const ok = (m: ToPool) => m.type === 'ready' && done(undefined)
      const died = (code: number | null, signal: string | null) => done(`the worker exited (${code ?? signal}) while starting: ${this.tail()}`)
      const done = (err: string | undefined) => {
        child.off('message', ok)
        child.off('exit', died)
        resolve(err)
      }
      child.on('message', ok)
      child.on('exit', died)
    })
  }

  private tail(): string {
    const lines = this.output.trim().split('\n').filter((l) => l.trim()).slice(-3)
    return lines.length ? lines.join(' ⏎ ').slice(-600) : '(no output)'
  }

  /** Run one claim; resolves with its record whatever happens to the worker. */
  async run(job: Job): Promise<ClaimRecord> {
    const started = performance.now()
    // one engine per worker process: an engine's library may change globals another one reads
    // (onnxruntime-web defines a global Worker, after which jax-js builds wasm modules for a shared
    // memory it does not have), so a claim never runs where another engine has been loaded
    if (this.engine !== moduleOf(job.engine)) {
      await this.stop()
      this.engine = moduleOf(job.engine)
    }
    this.ready ??= this.start()
    const err = await this.ready
    const child = this.child
    if (err || !child) {
      this.ready = undefined
      return errorRecord(job, `engine worker did not start: ${err ?? 'it exited'}`, performance.now() - started)
    }
    this.call = undefined
    return new Promise((resolve) => {
      let settled = false
      this.busy = true
      const finish = (rec: ClaimRecord) => {
        if (settled) return
        settled = true
        this.busy = false
        this.last = rec
        clearTimeout(timer)
        child.off('message', onMessage)
        child.off('exit', onExit)
        resolve(rec)
      }
      const onMessage = (m: ToPool) => {
        if (m.type !== 'record' || m.key !== job.key) return
        finish(m.record)
        if (m.recycle) void this.stop() // a timed-out claim may still be running there: start clean
      }
      const onExit = (code: number | null, signal: string | null) => {
        const how = code !== null ? `exited with code ${code}` : `was killed by ${signal}`
        const why = this.crash ?? (/heap out of memory|Allocation failed/.test(this.output) ? 'out of memory' : undefined)
        finish(errorRecord(job, `engine worker ${how} while running ${job.meta.id} (${describeCall(this.call)})${why ? `: ${why}` : ''}; its last output: ${this.tail()}`, performance.now() - started))
      }
      const timer = setTimeout(() => {
        finish(errorRecord(job, `${noResponse(job.meta.id, job.timeoutMs, this.call)}; its worker was killed`, performance.now() - started))
        void this.stop()
      }, job.timeoutMs + grace(job.timeoutMs))
      child.on('message', onMessage)
      child.on('exit', onExit)
      const msg: ToWorker = { key: job.key, id: job.meta.id, engine: job.engine, seed: job.seed, file: specFileOf(job.meta.id) }
      child.send(msg)
    })
  }

  async stop(): Promise<void> {
    const c = this.child
    if (!c) return
    ;[this.child, this.ready] = [undefined, undefined]
    if (c.exitCode !== null || c.signalCode !== null) return
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve())
      c.kill('SIGKILL')
    })
  }
}

export class Pool {
  private slots: Slot[]
  private queue: Job[] = []
  private strikes = new Map<string, number>()
  private stopped = false

  constructor(private readonly o: PoolOptions) {
    this.slots = Array.from({ length: Math.max(1, o.workers) }, () => new Slot())
  }

  /** Every job's record (in completion order), the longest expected first. */
  async run(jobs: Job[]): Promise<ClaimRecord[]> {
    this.queue = [...jobs].sort((a, b) => b.cost - a.cost || a.key.localeCompare(b.key))
    const records: ClaimRecord[] = []
    await Promise.all(
      this.slots.map(async (slot) => {
        for (let job = this.take(slot); job && !this.stopped; job = this.take(slot)) {
          const rec = this.deadEngine(job) ?? (await slot.run(job))
          if (rec.status === 'error' && /engine worker (exited|was killed)/.test(rec.message ?? '') && !slot.loaded.has(job.engine)) {
            this.strikes.set(job.engine, (this.strikes.get(job.engine) ?? 0) + 1)
          }
          if (this.stopped) break
          records.push(rec)
          this.o.onRecord?.(rec)
        }
      }),
    )
    await this.stop()
    return records
  }

  /** The longest pending job of the engine the slot's worker serves, else the longest pending job. */
  private take(slot: Slot): Job | undefined {
    const mine = this.queue.findIndex((j) => moduleOf(j.engine) === slot.engine)
    return this.queue.splice(Math.max(0, mine), 1)[0]
  }

  /** An engine module that killed its worker twice while loading is not loaded again: its remaining claims are errors. */
  private deadEngine(job: Job): ClaimRecord | undefined {
    if ((this.strikes.get(job.engine) ?? 0) < 2) return undefined
    return errorRecord(job, 'not run: the engine module killed its worker twice while loading (see its first two claims)', 0)
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.queue = []
    await Promise.all(this.slots.map((s) => s.stop()))
  }
}
