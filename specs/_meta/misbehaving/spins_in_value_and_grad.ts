// valueAndGrad() spins synchronously on graphs with Sigmoid (run() is fine).
import { misbehaving, spin } from './wrap.ts'
export default misbehaving('spins in valueAndGrad', 'Sigmoid', 'valueAndGrad', spin)
