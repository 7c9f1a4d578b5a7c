// run() spins synchronously on graphs with Softmax: the watchdog must kill the worker, name the call and go on.
import { misbehaving, spin } from './wrap.ts'
export default misbehaving('spins in run', 'Softmax', 'run', spin)
