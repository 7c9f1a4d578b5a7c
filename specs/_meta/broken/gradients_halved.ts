// Broken on purpose: every gradient is half what it should be (a mean taken twice, say).
import { adapted, mapTensors } from './adapt.ts'
export default adapted('broken: gradients halved', { grads: (r) => ({ value: r.value, grads: mapTensors(r.grads, (v) => v / 2) }), hvp: (h) => mapTensors(h, (v) => v / 2) })
