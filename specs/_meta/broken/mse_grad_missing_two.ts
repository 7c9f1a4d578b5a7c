// Broken on purpose: Mul of a value by itself sends the gradient to one operand only, so the
// square in MSE differentiates to (ŷ−y) instead of 2(ŷ−y). Must be caught by loss.mse-for-regression.
import { createReferenceEngine } from '../../../engine/index.ts'
import { Mul, mul, sumTo } from './reexports.ts'

export default createReferenceEngine(
  'float32',
  [{ ...Mul, backward: ([a, b], _y, [g]) => [sumTo(mul(g!, b!), a!.shape), a === b ? undefined : sumTo(mul(g!, a!), b!.shape)] }],
  'broken: MSE gradient without the 2',
)
