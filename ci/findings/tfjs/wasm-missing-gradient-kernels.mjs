// TensorFlow.js on the wasm backend: the gradients of conv2d (with respect to the filter) and of gather
// need kernels the backend does not register (Conv2DBackpropFilter, UnsortedSegmentSum), so they throw.
// Found by nnspec's backprop.chain-rule[Conv,Gather] and cnn.corner-stroke-example on tfjs-wasm.
//
// conv2d of x = [1, 2, 3] (H) with a 1×1 filter w: y = w·x, d Σy / dw = 1 + 2 + 3 = 6;
// gather(x, [0, 0]) of x = [5, 7]: d Σy / dx = [2, 0].
process.env['NNSPEC_TFJS_BACKEND'] = 'wasm'
const { tf } = await import('./_quiet.mjs')

const attempt = (f) => {
  try {
    return `[${Array.from(f().dataSync())}]`
  } catch (e) {
    return `throws: ${e.message.split('\n')[0]}`
  }
}
const conv = attempt(() => tf.grad((w) => tf.sum(tf.conv2d(tf.tensor4d([1, 2, 3], [1, 3, 1, 1]), w, 1, 'valid')))(tf.ones([1, 1, 1, 1])))
const gather = attempt(() => tf.grad((x) => tf.sum(tf.gather(x, tf.tensor1d([0, 0], 'int32'))))(tf.tensor1d([5, 7])))
console.log(`on the wasm backend\n  d Σ conv2d(x, w) / dw: tfjs-wasm ${conv}; expected [6]\n  d Σ gather(x, [0, 0]) / dx: tfjs-wasm ${gather}; expected [2,0]`)
process.exit(conv === '[6]' && gather === '[2,0]' ? 0 : 1)
