// TensorFlow.js: conv2d has no gradient for dilations > 1 ("dilation rates greater than 1 are not yet
// supported in gradients"). Found by nnspec's backprop.chain-rule[Conv].
//
// x: 1×1×3×1 (NHWC) = [1, 2, 3], kernel 2×1 with dilation 2 in H: y = w₀x₀ + w₁x₂ = 1·1 + 1·3 = 4;
// d y / dx = [w₀, 0, w₁] = [1, 0, 1].
import { tf } from './_quiet.mjs'

const x = tf.tensor4d([1, 2, 3], [1, 3, 1, 1])
const w = tf.ones([2, 1, 1, 1])
let got
try {
  got = `[${Array.from(tf.grad((v) => tf.sum(tf.conv2d(v, w, 1, 'valid', 'NHWC', [2, 1])))(x).dataSync())}]`
} catch (e) {
  got = `throws: ${e.message.split('\n')[0]}`
}
console.log(`d conv2d(x, w, dilations [2, 1]) / dx, x = [1, 2, 3] (H), w = [1, 1]\n  tfjs:     ${got}\n  expected: [1, 0, 1]`)
process.exit(got === '[1,0,1]' ? 0 : 1)
