// The engine pieces the broken engines patch, in one import.
export { Mul, mul, sub } from '../../../engine/ops/binary.ts'
export { sumTo } from '../../../engine/ops/reduce.ts'
export { scalarLike } from '../../../engine/autograd.ts'
