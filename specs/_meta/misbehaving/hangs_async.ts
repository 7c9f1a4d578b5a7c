// run() returns a promise that never settles on graphs with Softmax: the claim's own timer fires (no
// worker needs killing) and names the call.
import { misbehaving } from './wrap.ts'
export default misbehaving('hangs (async)', 'Softmax', 'run', () => new Promise(() => {}))
