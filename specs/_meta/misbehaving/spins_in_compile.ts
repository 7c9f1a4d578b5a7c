// compile() spins synchronously on graphs with Elu.
import { misbehaving, spin } from './wrap.ts'
export default misbehaving('spins in compile', 'Elu', 'compile', spin)
