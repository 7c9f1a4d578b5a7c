// A runner worker's entry point: TypeScript through tsx (resolved from this package, both hooks as in
// bin/nnspec.js), then the worker.
import { register } from 'tsx/esm/api'
import { register as registerCjs } from 'tsx/cjs/api'

register()
registerCjs()
await import('./worker.ts')
