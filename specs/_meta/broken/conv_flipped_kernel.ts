// Broken on purpose: Conv computes a true convolution (kernel flipped in both spatial axes) instead of
// ONNX's cross-correlation.
import { rewritingEngine } from './rewrite.ts'
import type { Node } from '../../../contract/types.ts'

let k = 0
export default rewritingEngine('broken: conv kernel flipped', (n, g): Node[] => {
  if (n.op !== 'Conv') return [n]
  const w = n.inputs[1]!
  const [a, b] = [`flipH_${k}`, `flipW_${k++}`]
  const reverse = (axis: number, out: string, src: string): Node => {
    g.initializers![`${out}_s`] = { dtype: 'int64', shape: [1], data: BigInt64Array.of(-1n) }
    g.initializers![`${out}_e`] = { dtype: 'int64', shape: [1], data: BigInt64Array.of(-(2n ** 62n)) }
    g.initializers![`${out}_a`] = { dtype: 'int64', shape: [1], data: BigInt64Array.of(BigInt(axis)) }
    g.initializers![`${out}_st`] = { dtype: 'int64', shape: [1], data: BigInt64Array.of(-1n) }
    return { op: 'Slice', inputs: [src, `${out}_s`, `${out}_e`, `${out}_a`, `${out}_st`], outputs: [out] }
  }
  return [reverse(2, a, w), reverse(3, b, a), { ...n, inputs: [n.inputs[0]!, b, ...n.inputs.slice(2)] }]
})
