// TensorFlow.js on the wasm backend: the gradient of maxPool can land on an element that is not its
// window's maximum. Found by nnspec's cnn.maxpool-loses-information on tfjs-wasm (the cpu backend is right).
//
// x (H×W = 2×4) = [[-0.91, -0.25, 1.07, -0.09], [-1.05, -0.9, -0.56, -1.33]], 2×2 windows, stride 2:
// window 1 holds -0.91, -0.25, -1.05, -0.9, its maximum -0.25 is x[0][1]; window 2's is 1.07 = x[0][2].
// d Σ maxPool(x) / dx is 1 at each window's argmax: [[0, 1, 1, 0], [0, 0, 0, 0]].
process.env['NNSPEC_TFJS_BACKEND'] = 'wasm'
const { tf } = await import('./_quiet.mjs')

const x = tf.tensor4d([-0.91, -0.25, 1.07, -0.09, -1.05, -0.9, -0.56, -1.33], [1, 2, 4, 1])
const got = Array.from(tf.grad((t) => tf.sum(tf.maxPool(t, 2, 2, 'valid')))(x).dataSync())
const want = [0, 1, 1, 0, 0, 0, 0, 0]
console.log(`d Σ maxPool₂ₓ₂(x) / dx on the wasm backend\n  tfjs-wasm: [${got}]\n  expected:  [${want}] (1 at each window's argmax; tfjs-cpu gives this)`)
process.exit(got.join() === want.join() ? 0 : 1)
