// TensorFlow.js: tf.initializers.glorotNormal and heNormal draw from a normal truncated at 2σ without
// rescaling, so their variance is 77% of the one they state. Found by nnspec's init.distributions[glorot-normal,he-normal].
//
// Glorot-normal's stated variance for a [fanIn, fanOut] = [200, 100] weight is 2/(fanIn + fanOut) = 0.00667;
// He-normal's is 2/fanIn = 0.01. A normal truncated at ±2σ keeps 0.7737 of its variance.
import { tf } from './_quiet.mjs'

const variance = (t) => {
  const v = t.dataSync()
  const m = v.reduce((a, b) => a + b, 0) / v.length
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)
}
const glorot = variance(tf.initializers.glorotNormal({ seed: 1 }).apply([200, 100]))
const he = variance(tf.initializers.heNormal({ seed: 1 }).apply([200, 100]))
console.log(`variance of 20 000 draws for a [200, 100] weight\n  glorotNormal: tfjs ${glorot.toFixed(5)}, stated 2/(200+100) = 0.00667\n  heNormal:     tfjs ${he.toFixed(5)}, stated 2/200 = 0.01000`)
// 6 standard errors of a sample variance of 20 000 normals: 6·√(2/20000)·σ² ≈ 0.06·σ²
process.exit(Math.abs(glorot / 0.00667 - 1) > 0.06 || Math.abs(he / 0.01 - 1) > 0.06 ? 1 : 0)
