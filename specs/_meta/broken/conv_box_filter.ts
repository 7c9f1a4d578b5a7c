// Broken on purpose: Conv ignores its weights and sums each window (an all-ones kernel): a filter
// symmetric under every rotation, so rotations commute with it.
import { rewritingEngine } from './rewrite.ts'
let k = 0
export default rewritingEngine('broken: conv box filter', (n, g) => {
  if (n.op !== 'Conv') return [n]
  const [ones, w] = [`box_ones_${k}`, `box_w_${k++}`]
  const f32 = g.inputs[0]?.dtype !== 'float64'
  g.initializers![ones] = { dtype: f32 ? 'float32' : 'float64', shape: [], data: f32 ? Float32Array.of(0) : Float64Array.of(0) }
  const one = `${ones}_1`
  g.initializers![one] = { dtype: f32 ? 'float32' : 'float64', shape: [], data: f32 ? Float32Array.of(1) : Float64Array.of(1) }
  return [
    { op: 'Mul', inputs: [n.inputs[1]!, ones], outputs: [`${w}_0`] },
    { op: 'Add', inputs: [`${w}_0`, one], outputs: [w] },
    { ...n, inputs: [n.inputs[0]!, w, ...n.inputs.slice(2)] },
  ]
})
