// Broken on purpose: the optimizers accept weightDecay and ignore it.
import { createReferenceEngine } from '../../../engine/index.ts'
const ref = createReferenceEngine('float32')
const engine = createReferenceEngine('float32', [], 'broken: weight decay ignored', (spec) => {
  const { weightDecay: _ignored, ...params } = spec.params ?? {}
  return ref.optimizer!({ ...spec, params })
})
export default engine
