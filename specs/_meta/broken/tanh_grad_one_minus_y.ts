// Broken on purpose: tanh' computed as 1 − y instead of 1 − y². Must be caught by
// activation.tanh-zero-centered (against mathjs), naming Tanh.
import { createReferenceEngine } from '../../../engine/index.ts'
import { Tanh } from '../../../engine/ops/activation.ts'
import { mul, scalarLike, sub } from './reexports.ts'

export default createReferenceEngine('float32', [{ ...Tanh, backward: (_x, [y], [g]) => [mul(g!, sub(scalarLike(y!, 1), y!))] }], 'broken: tanh grad')
