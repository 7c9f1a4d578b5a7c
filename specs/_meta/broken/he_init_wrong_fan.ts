// Broken on purpose: He initialization scaled by fan_out instead of fan_in.
// Must be caught by init.distributions, naming he-normal.
import { createReferenceEngine } from '../../../engine/index.ts'
import { initialize, INITIALIZERS } from '../../../engine/nn/init.ts'

const engine = createReferenceEngine('float32', [], 'broken: he fan')
engine.initialize = (spec) =>
  spec.rule === 'he-normal' ? initialize(spec, 'float32', (rng, _fanIn, fanOut) => rng.normal(0, Math.sqrt(2 / fanOut))) : initialize(spec, 'float32', INITIALIZERS[spec.rule])
export default engine
