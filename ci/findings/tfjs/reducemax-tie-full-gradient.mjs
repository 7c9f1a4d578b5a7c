// TensorFlow.js: the gradient of max over ties gives the full incoming gradient to every tied element
// (it sums to 2 for two ties): not a subgradient of max. Found by nnspec's ops.conventions[ReduceMax tie].
//
// max is not differentiable at a tie; its subdifferential at x = [2, 2, 1] is {(t, 1−t, 0) : t ∈ [0, 1]}:
// the weights on the tied entries must sum to 1 (PyTorch and JAX give 0.5, 0.5, 0).
import { tf } from './_quiet.mjs'

const g = tf.grad((x) => tf.max(x))(tf.tensor1d([2, 2, 1]))
const got = Array.from(g.dataSync())
const sum = got[0] + got[1]
console.log(`d max(x)/dx at x = [2, 2, 1]\n  tfjs:     [${got}] (tied entries sum to ${sum})\n  expected: a subgradient (t, 1 − t, 0), e.g. [0.5, 0.5, 0]: tied entries summing to 1`)
process.exit(Math.abs(sum - 1) > 1e-6 ? 1 : 0)
