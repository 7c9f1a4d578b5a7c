// jax-js: np.clip(x, min, max) with min > max returns min; ONNX's Clip returns max. Found by nnspec's
// onnx.clip_min_greater_than_max (ONNX backend node test).
//
// ONNX defines Clip(x, min, max) = min(max(x, min), max): for min = 2 > max = 1 that is 1 everywhere,
// and numpy's np.clip gives the same (it applies the maximum first, then the minimum). jax-js gives 2.
globalThis.Float16Array ??= class Float16Array {} // jax-js checks instanceof Float16Array, which Node 20 lacks
const jax = await import('@jax-js/jax')
const np = jax.numpy
jax.defaultDevice('wasm')

const got = Array.from(await np.clip(np.array([-2, 0, 2]), 2, 1).data())
console.log(`np.clip([-2, 0, 2], 2, 1)\n  jax-js:   [${got}]\n  expected: [1,1,1] (min(max(x, 2), 1): ONNX's Clip and numpy's np.clip)`)
process.exit(got.join() === '1,1,1' ? 0 : 1)
