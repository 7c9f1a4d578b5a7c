// Broken on purpose: ReduceMean forgets to divide (it is ReduceSum), so a mean over examples grows
// with the batch.
import { rewritingEngine } from './rewrite.ts'
let k = 0
export default rewritingEngine('broken: ReduceMean sums', (n, g) => {
  if (n.op !== 'ReduceMean') return [n]
  const { axes, ...attrs } = (n.attrs ?? {}) as { axes?: number[] }
  if (!axes) return [{ ...n, op: 'ReduceSum', attrs }]
  const name = `mean_axes_${k++}`
  g.initializers![name] = { dtype: 'int64', shape: [axes.length], data: BigInt64Array.from(axes.map(BigInt)) }
  return [{ ...n, op: 'ReduceSum', inputs: [n.inputs[0]!, name], attrs }]
})
