// compile() leaves a timer that throws on graphs with Softmax: an uncaught exception in the worker.
import { misbehaving } from './wrap.ts'
export default misbehaving('uncaught exception', 'Softmax', 'compile', () => {
  setImmediate(() => {
    throw new Error('adapter bug in a callback')
  })
})
