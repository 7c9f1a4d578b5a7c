// Broken on purpose: MaxPool's value is right but its gradient goes to the first element of each
// window instead of the argmax. Must be caught by cnn.maxpool-loses-information, naming MaxPool.
import { apply1, constant, type Composite, type Primitive } from '../../../engine/autograd.ts'
import { createReferenceEngine } from '../../../engine/index.ts'
import { reduceMax } from '../../../engine/ops/reduce.ts'
import { reshape, slice } from '../../../engine/ops/shape.ts'
import { im2col, windowOf } from '../../../engine/ops/window.ts'

// y = b's value; da = g (and nothing flows to b): the value of one thing, the gradient of another,
// exact even where first + (max − first) would cancel (±3e38) or give NaN (−∞ padding)
const ValueOfSecond: Primitive = {
  name: 'ValueOfSecond',
  forward: ([, b]) => [b!],
  backward: (_x, _y, [g]) => [g!, undefined],
}

const MaxPool: Composite = {
  name: 'MaxPool',
  compose: ([x], attrs) => {
    const k = attrs['kernel_shape'] as number[]
    const win = windowOf('MaxPool', x!.shape.slice(2), k, attrs)
    const cols = im2col(x!, win, -Infinity)
    const first = reshape(slice(cols, [0], [1], [2]), [x!.shape[0]!, x!.shape[1]!, win.out.reduce((a, b) => a * b, 1)])
    const max = reduceMax(cols, [2])
    // value = max, but the only path for gradients is through `first`
    const y = apply1(ValueOfSecond, [first, constant(max.value)])
    return [reshape(y, [x!.shape[0]!, x!.shape[1]!, ...win.out])]
  },
}

export default createReferenceEngine('float32', [MaxPool], 'broken: maxpool grad')
