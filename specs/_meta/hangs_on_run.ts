// An adapter whose run never settles: the harness must time the claim out (status `error`) and go on.
import type { Engine } from '../../contract/types.ts'

const engine: Engine = {
  name: 'hangs',
  version: '0',
  dtypes: ['float32'],
  supports: () => true,
  compile: async () => ({ run: () => new Promise(() => {}) }),
}
export default engine
