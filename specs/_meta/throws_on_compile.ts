// An adapter that throws: every claim must end as status `error` with the adapter's message, the
// run must go on and the CLI must exit non-zero.
import type { Engine } from '../../contract/types.ts'

const engine: Engine = {
  name: 'throws',
  version: '0',
  dtypes: ['float32'],
  supports: () => true,
  compile: async () => {
    throw new Error('adapter exploded while compiling')
  },
}
export default engine
