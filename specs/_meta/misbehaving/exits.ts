// run() calls process.exit(3) on graphs with Elu: the worker dies; its claim is an error with the exit code.
import { misbehaving } from './wrap.ts'
export default misbehaving('exits', 'Elu', 'run', () => process.exit(3))
