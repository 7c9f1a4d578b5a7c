// Broken on purpose: MaxPool's value is right but its gradient goes to the first element of each
// window instead of the argmax. Must be caught by cnn.maxpool-loses-information, naming MaxPool.
import { constant, type Composite } from '../../../engine/autograd.ts'
import { createReferenceEngine } from '../../../engine/index.ts'
import { add, sub } from '../../../engine/ops/binary.ts'
import { reduceMax } from '../../../engine/ops/reduce.ts'
import { reshape, slice } from '../../../engine/ops/shape.ts'
import { im2col, windowOf } from '../../../engine/ops/window.ts'

const MaxPool: Composite = {
  name: 'MaxPool',
  compose: ([x], attrs) => {
    const k = attrs['kernel_shape'] as number[]
    const win = windowOf('MaxPool', x!.shape.slice(2), k, attrs)
    const cols = im2col(x!, win, -Infinity)
    const first = reshape(slice(cols, [0], [1], [2]), [x!.shape[0]!, x!.shape[1]!, win.out.reduce((a, b) => a * b, 1)])
    const max = reduceMax(cols, [2])
    // value = max, but the only path for gradients is through `first`
    const y = add(first, constant(sub(constant(max.value), constant(first.value)).value))
    return [reshape(y, [x!.shape[0]!, x!.shape[1]!, ...win.out])]
  },
}

export default createReferenceEngine('float32', [MaxPool], 'broken: maxpool grad')
