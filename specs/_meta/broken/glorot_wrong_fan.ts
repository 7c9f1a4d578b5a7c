// Broken on purpose: Glorot initialization uses 2/(2·fan_in) instead of 2/(fan_in + fan_out): right on
// square weights, wrong on every other shape.
import { createReferenceEngine } from '../../../engine/index.ts'
import { initialize, INITIALIZERS } from '../../../engine/nn/init.ts'

const engine = createReferenceEngine('float32', [], 'broken: glorot fan')
engine.initialize = (spec) =>
  spec.rule === 'glorot-normal' ? initialize(spec, 'float32', (rng, fanIn) => rng.normal(0, Math.sqrt(1 / fanIn))) : initialize(spec, 'float32', INITIALIZERS[spec.rule])
export default engine
