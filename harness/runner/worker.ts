// One runner worker: a process that runs claims one at a time for the pool (pool.ts), which watches
// it. Whatever an adapter does to a process (spins, exits, crashes, leaks) happens here, not in the
// process that writes the report. The worker tells the pool each engine call it makes (when the call
// changes), so a hang can be reported with the call it hung in.
import { Worker } from 'node:worker_threads'
import { bodies, hasAbandonedWork, messageOf, registry, runClaim } from '../claim.ts'
import { loadEngine } from '../engines.ts'
import { onCall, resetCalls } from '../guard.ts'
import { loadSpecFile } from './selection.ts'
import type { ToPool, ToWorker } from './protocol.ts'

const send = (m: ToPool, then?: () => void) => process.send!(m, undefined, undefined, then)

// the pool decides what an interrupt means; a worker whose pool went away leaves at once
process.on('SIGINT', () => {})
process.on('disconnect', () => process.exit(0))
// …even when its main thread is stuck in an adapter's loop: a thread of its own watches the parent
new Worker(
  `const { workerData } = require('node:worker_threads')
   setInterval(() => { if (process.ppid !== workerData.ppid) process.kill(process.pid, 'SIGKILL') }, 250)`,
  { eval: true, workerData: { ppid: process.ppid } },
).unref()

function crash(what: string, e: unknown): void {
  const stack = e instanceof Error && e.stack ? e.stack.split('\n').slice(1, 4).map((l) => l.trim()).join(' ') : ''
  send({ type: 'crash', message: `${what}: ${messageOf(e)}${stack ? ` (${stack})` : ''}` }, () => process.exit(70))
  setTimeout(() => process.exit(70), 1000).unref()
}
process.on('uncaughtException', (e) => crash('uncaught exception', e))
process.on('unhandledRejection', (e) => crash('unhandled promise rejection', e))

onCall((call) => send({ type: 'call', call }))

process.on('message', (m: ToWorker) => {
  void (async () => {
    resetCalls()
    try {
      await loadEngine(m.engine)
      send({ type: 'loaded', engine: m.engine })
    } catch {
      // runClaim reports the load failure as this claim's error
    }
    // after the engine: a spec file that fails to import here is not the engine module's doing
    if (!bodies.has(m.id)) await loadSpecFile(m.file)
    const meta = registry.find((r) => r.id === m.id)
    const body = bodies.get(m.id)
    if (!meta || !body || !('expect' in meta)) throw new Error(`the worker has no claim "${m.id}"`)
    const record = await runClaim(meta, body, m.engine, m.seed)
    // a claim's work can all run in microtasks: give the callbacks it left behind (timers, immediates)
    // one turn of the event loop, so that what they do (an uncaught exception) is charged to this claim
    await new Promise((r) => setTimeout(r, 1))
    await new Promise((r) => setImmediate(r))
    send({ type: 'record', key: m.key, record, recycle: hasAbandonedWork() })
  })()
})
send({ type: 'ready' })
