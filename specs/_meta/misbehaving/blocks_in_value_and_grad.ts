// valueAndGrad() blocks its thread for good on graphs with Sigmoid (run() is fine).
import { block, misbehaving } from './wrap.ts'
export default misbehaving('blocks in valueAndGrad', 'Sigmoid', 'valueAndGrad', block)
