// TensorFlow.js: the gradient of tanh is computed from its saved output, which is not on the tape, so a
// second derivative through tanh loses a term. Found by nnspec's backprop.second-order[Tanh].
//
// f(x) = x·tanh(x): f′ = tanh x + x(1 − tanh²x), f″ = 2(1 − tanh²x) − 2x·tanh x·(1 − tanh²x).
// At x = 0.3: f″ = 1.670. (Sigmoid and Exp have the same shape of bug.)
import { tf } from './_quiet.mjs'

const f = (x) => tf.mul(x, tf.tanh(x))
const x = 0.3
const got = tf.grad(tf.grad(f))(tf.scalar(x)).dataSync()[0]
const t = Math.tanh(x)
const want = 2 * (1 - t * t) - 2 * x * t * (1 - t * t)
console.log(`d²/dx² [x·tanh(x)] at x = 0.3\n  tfjs:     ${got.toFixed(4)}\n  exact:    ${want.toFixed(4)} (2(1 − tanh²x) − 2x·tanh x·(1 − tanh²x))`)
process.exit(Math.abs(got - want) > 1e-3 ? 1 : 0)
