// Broken on purpose: MaxPool returns each window's top-left element (a strided subsample), not its maximum.
import { rewritingEngine } from './rewrite.ts'
export default rewritingEngine('broken: maxpool subsamples', (n) =>
  n.op === 'MaxPool' ? [{ ...n, op: 'AveragePool', attrs: { ...n.attrs, kernel_shape: (n.attrs?.['kernel_shape'] as number[]).map(() => 1) } }] : [n],
)
