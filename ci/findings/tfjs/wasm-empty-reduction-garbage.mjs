// TensorFlow.js on the wasm backend: a sum over an axis of length 0 returns whatever was in the
// output buffer instead of 0. Found by nnspec's onnx.reduce_sum_empty_set (ONNX backend node test).
//
// x has shape [2, 0, 4]: Σ over axis 1 is an empty sum for each of the 2×4 outputs, which is 0 by
// definition (ONNX ReduceSum, numpy and tfjs-cpu all give zeros). The wasm kernel never writes the
// output when the reduced length is 0, so the values are the previous contents of the wasm heap (which
// ones depends on what ran before: tensors of 7s are made and freed first so that it is rarely all 0,
// and the sum is tried 20 times; any non-zero value is the bug).
process.env['NNSPEC_TFJS_BACKEND'] = 'wasm'
const { tf } = await import('./_quiet.mjs')

let got = []
for (let i = 0; i < 20 && got.every((v) => v === 0); i++) {
  tf.fill([2 + i, 4], 7).dispose() // leave non-zero bytes where the next allocation may land
  got = Array.from(tf.sum(tf.zeros([2, 0, 4]), 1).dataSync())
}
const want = Array(8).fill(0)
console.log(`tf.sum(tf.zeros([2, 0, 4]), 1) on the wasm backend\n  tfjs-wasm: [${got}]\n  expected:  [${want}] (an empty sum is 0; tfjs-cpu gives this)`)
process.exit(got.every((v) => v === 0) ? 0 : 1)
