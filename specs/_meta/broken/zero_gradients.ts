// Broken on purpose: every gradient (and Hessian-vector product) is zero; values are right. No claim
// that needs gradients may pass on it.
import { adapted, mapTensors } from './adapt.ts'
export default adapted('broken: zero gradients', { grads: (r) => ({ value: r.value, grads: mapTensors(r.grads, () => 0) }), hvp: (h) => mapTensors(h, () => 0) })
