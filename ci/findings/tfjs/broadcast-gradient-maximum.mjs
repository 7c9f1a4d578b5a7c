// TensorFlow.js: the gradient of tf.maximum (and tf.minimum, tf.matMul with broadcast batch dims) does
// not sum broadcast dimensions back, so it has the wrong shape and throws. Found by nnspec's
// backprop.chain-rule[Max,Min,MatMul].
//
// y = max(a, b) with a: [2, 1], b: [1, 1] broadcast to [2, 1]; d Σy / db = Σ over the broadcast rows of
// [b ≥ a]: a tensor of b's shape [1, 1].
import { tf } from './_quiet.mjs'

const a = tf.tensor2d([[0.5], [-1]])
const b = tf.tensor2d([[0.2]])
let got
try {
  const [, gb] = tf.grads((x, y) => tf.sum(tf.maximum(x, y)))([a, b])
  got = `shape [${gb.shape}], values [${Array.from(gb.dataSync())}]`
} catch (e) {
  got = `throws: ${e.message.split('\n')[0]}`
}
console.log(`d Σ max(a, b) / db, a = [[0.5], [-1]], b = [[0.2]]\n  tfjs:     ${got}\n  expected: shape [1,1], values [1] (b wins in row 2 only)`)
process.exit(got.startsWith('throws') || !got.startsWith('shape [1,1], values [1]') ? 1 : 0)
