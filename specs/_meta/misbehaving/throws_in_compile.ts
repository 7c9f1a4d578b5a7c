// compile() throws on graphs with Elu: that claim is an error with the adapter's message.
import { misbehaving } from './wrap.ts'
export default misbehaving('throws in compile', 'Elu', 'compile', () => {
  throw new Error('adapter exploded while compiling')
})
