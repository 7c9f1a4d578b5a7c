// Broken on purpose: AveragePool returns the window's sum (forgets to divide by its size).
import { rewritingEngine } from './rewrite.ts'
let k = 0
export default rewritingEngine('broken: average pool sums', (n, g) => {
  if (n.op !== 'AveragePool') return [n]
  const size = (n.attrs?.['kernel_shape'] as number[]).reduce((a, b) => a * b, 1)
  const [mid, c] = [`avg_${k}`, `avg_size_${k++}`]
  g.initializers![c] = { dtype: g.inputs[0]?.dtype === 'float64' ? 'float64' : 'float32', shape: [], data: g.inputs[0]?.dtype === 'float64' ? Float64Array.of(size) : Float32Array.of(size) }
  return [{ ...n, outputs: [mid] }, { op: 'Mul', inputs: [mid, c], outputs: n.outputs }]
})
