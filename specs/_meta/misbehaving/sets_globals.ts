// Defines a global Worker when it compiles, as onnxruntime-web does: harmless to itself, but another
// engine loaded in the same process afterwards may read it (jax-js then builds its wasm for a shared
// memory it does not have). The pool must never run another engine's claim in this process.
import { createReferenceEngine } from '../../../engine/index.ts'
const ref = createReferenceEngine('float32')
export default {
  ...ref,
  name: 'sets globals',
  async compile(graph: Parameters<typeof ref.compile>[0]) {
    ;(globalThis as { Worker?: unknown }).Worker ??= class FakeWorker {}
    return ref.compile(graph)
  },
}
