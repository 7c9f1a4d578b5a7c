// jax-js on its wasm backend: a sum over an axis of length 0 (with keepdims) returns whatever was in
// the output buffer instead of 0. Found by nnspec's onnx.reduce_sum_empty_set (ONNX backend node test).
//
// x has shape [2, 0, 4]: Σ over axis 1 is an empty sum for each of the 2×1×4 outputs, which is 0 by
// definition (ONNX ReduceSum and numpy give zeros). Here a sum of the same output shape over a
// non-empty axis runs first (3 × 7.835 = 23.505 in each place), and the empty sum returns its values.
globalThis.Float16Array ??= class Float16Array {} // jax-js checks instanceof Float16Array, which Node 20 lacks
const jax = await import('@jax-js/jax')
const np = jax.numpy
jax.defaultDevice('wasm')

await np.sum(np.add(np.zeros([2, 3, 4]), 7.835), 1, { keepdims: true }).data() // .data() frees it
const got = Array.from(await np.sum(np.zeros([2, 0, 4]), 1, { keepdims: true }).data())
const want = Array(8).fill(0)
console.log(`np.sum(np.zeros([2, 0, 4]), 1, { keepdims: true }) on the wasm backend, after a sum of 7.835s\n  jax-js:   [${got.map((v) => Number(v.toPrecision(5)))}]\n  expected: [${want}] (an empty sum is 0)`)
process.exit(got.every((v) => v === 0) ? 0 : 1)
