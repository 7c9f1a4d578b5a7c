// compile() blocks its thread for good on graphs with Elu.
import { block, misbehaving } from './wrap.ts'
export default misbehaving('blocks in compile', 'Elu', 'compile', block)
