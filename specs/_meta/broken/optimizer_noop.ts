// Broken on purpose: every optimizer step leaves the parameters where they were. No claim that needs
// an optimizer may pass on it.
import { adapted } from './adapt.ts'
export default adapted('broken: optimizer does not move', { optimizer: (_spec, ref) => ({ ...ref, step: (params) => Object.fromEntries(Object.entries(params).map(([k, t]) => [k, { ...t, data: t.data.slice() }])) }) })
