// jax-js: float64 arrays on the wasm backend get exp (and log, tanh, sigmoid, …) to about 1e-8 relative,
// float32-grade approximations, where float64 rounding allows 1e-16. Found by nnspec running its claims
// on `jax-js.ts#float64`: every float64 comparison with a transcendental function fails (e.g. ops.Exp:
// 0.3532 vs 0.3532, |Δ| 1.7e-8 against a tolerance of 7e-11), and finite differences of such a forward
// pass are noise (a 1e-8 error over a 1e-6 step).
//
// The cpu backend, which evaluates with JavaScript's Math, is exact to rounding on the same arrays.
globalThis.Float16Array ??= class Float16Array {} // jax-js checks `instanceof Float16Array`, which Node 20 lacks
const { numpy: np, defaultDevice } = await import('@jax-js/jax')

const xs = [-1.3153829090297222, 0.3339248914271593, 1.7469145134091377, 5.25]
const worst = (device) => {
  defaultDevice(device)
  const got = np.exp(np.array(Float64Array.from(xs))).dataSync()
  return Math.max(...xs.map((x, i) => Math.abs(got[i] - Math.exp(x)) / Math.exp(x)))
}
const [wasm, cpu] = [worst('wasm'), worst('cpu')]
console.log(`largest relative error of np.exp on float64 arrays, against Math.exp\n  jax-js wasm: ${wasm.toExponential(2)}\n  jax-js cpu:  ${cpu.toExponential(2)}\n  expected:    ≤ 1e-15 (float64 rounding)`)
process.exit(wasm > 1e-13 ? 1 : 0)
