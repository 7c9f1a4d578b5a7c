// A correct engine that, like jax-js, changes behaviour when a global Worker exists: here it refuses to
// compile, so any claim it runs after another engine polluted its process fails loudly.
import { createReferenceEngine } from '../../../engine/index.ts'
const ref = createReferenceEngine('float32')
export default {
  ...ref,
  name: 'needs clean globals',
  async compile(graph: Parameters<typeof ref.compile>[0]) {
    if (typeof (globalThis as { Worker?: unknown }).Worker !== 'undefined') throw new Error('a global Worker appeared in this process: another engine was loaded here')
    return ref.compile(graph)
  },
}
