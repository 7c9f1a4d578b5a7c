// TensorFlow.js: tf.clipByValue throws when min > max. Found by nnspec's onnx.clip_min_greater_than_max
// (ONNX backend node test).
//
// ONNX defines Clip(x, min, max) = min(max(x, min), max), which for min = 2 > max = 1 is 1 everywhere;
// numpy's np.clip and ONNX's reference implementation agree. tfjs refuses the arguments instead
// ("clipValueMin (2) must be less than or equal to clipValueMax (1)"), so a model with such a Clip
// cannot run at all. (tfjs's own documentation does not say min ≤ max is required.)
const { tf } = await import('./_quiet.mjs')

const x = tf.tensor1d([-2, 0, 2])
let got
try {
  got = `[${Array.from(tf.clipByValue(x, 2, 1).dataSync())}]`
} catch (e) {
  got = `throws: ${e.message}`
}
console.log(`tf.clipByValue([-2, 0, 2], 2, 1)\n  tfjs:     ${got}\n  expected: [1,1,1] (min(max(x, 2), 1), as ONNX's Clip defines it)`)
process.exit(got === '[1,1,1]' ? 0 : 1)
