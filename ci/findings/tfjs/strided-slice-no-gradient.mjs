// TensorFlow.js: tf.stridedSlice has no gradient, so a strided slice (steps > 1) cannot be differentiated.
// Found by nnspec's backprop.chain-rule[Slice].
//
// y = x[0:4:2] picks x₀ and x₂: d Σy / dx = [1, 0, 1, 0].
import { tf } from './_quiet.mjs'

let got
try {
  got = `[${Array.from(tf.grad((x) => tf.sum(tf.stridedSlice(x, [0], [4], [2])))(tf.tensor1d([1, 2, 3, 4])).dataSync())}]`
} catch (e) {
  got = `throws: ${e.message.split('\n')[0]}`
}
console.log(`d Σ x[0:4:2] / dx at x = [1, 2, 3, 4]\n  tfjs:     ${got}\n  expected: [1, 0, 1, 0]`)
process.exit(got === '[1,0,1,0]' ? 0 : 1)
