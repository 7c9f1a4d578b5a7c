// Broken on purpose: "He" initialization with LeCun's variance 1/fan_in (half of 2/fan_in): each ReLU
// layer then halves the second moment.
import { createReferenceEngine } from '../../../engine/index.ts'
import { initialize, INITIALIZERS } from '../../../engine/nn/init.ts'

const engine = createReferenceEngine('float32', [], 'broken: he is lecun')
engine.initialize = (spec) =>
  spec.rule === 'he-normal' ? initialize(spec, 'float32', (rng, fanIn) => rng.normal(0, Math.sqrt(1 / fanIn))) : initialize(spec, 'float32', INITIALIZERS[spec.rule])
export default engine
