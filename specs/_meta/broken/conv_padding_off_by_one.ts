// Broken on purpose: Conv pads one extra row at the top and one fewer at the bottom, shifting the
// output by a pixel. Must be caught by the per-op agreement check ops.Conv, naming Conv.
import { rewritingEngine } from './rewrite.ts'

export default rewritingEngine('broken: conv padding', (n) => {
  if (n.op !== 'Conv' || !Array.isArray(n.attrs?.['pads'])) return [n]
  // pads are [x1_begin, …, x1_end, …] in any rank: the first spatial dim gets one more at its start, one fewer at its end
  const pads = [...(n.attrs['pads'] as number[])]
  const d = pads.length / 2
  pads[0] = pads[0]! + 1
  pads[d] = Math.max(0, pads[d]! - 1)
  return [{ ...n, attrs: { ...n.attrs, pads } }]
})
