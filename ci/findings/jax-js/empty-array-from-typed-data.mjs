// jax-js: np.array of an empty typed array throws instead of returning an empty array.
// Found by nnspec's backprop.chain-rule (a Slice whose result is empty: its weights Σ r ⊙ y have shape [0, 3]).
//
// np.array(data, { shape }) with a typed array goes to arrayFromData, which inlines arrays shorter than
// inlineArrayLimit whose elements are all equal as a constant: for length 0 the loop finds them "all
// equal" and makes a constant of data[0], which is undefined, and AluExp.const throws. The nested-JS-array
// path of np.array checks `size === 0` first and returns zeros(shape); np.zeros([0, 3]) works too.
import { numpy as np } from '@jax-js/jax'

const shape = [0, 3]
let got
try {
  const a = np.array(new Float32Array(0), { shape })
  got = `an array of shape [${a.shape}]`
} catch (e) {
  got = `throws ${e.constructor.name}: ${e.message}`
}
const want = `an array of shape [${np.zeros(shape).shape}] (what np.zeros(${JSON.stringify(shape)}) and np.array([], { shape }) give)`
console.log(`np.array(new Float32Array(0), { shape: [0, 3] })\n  jax-js:   ${got}\n  expected: ${want}`)
process.exit(got.startsWith('throws') ? 1 : 0)
