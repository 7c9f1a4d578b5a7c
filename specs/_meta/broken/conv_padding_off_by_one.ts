// Broken on purpose: Conv pads one extra row at the top and one fewer at the bottom, shifting the
// output by a pixel. Must be caught by the per-op agreement check ops.Conv, naming Conv.
import { rewritingEngine } from './rewrite.ts'

export default rewritingEngine('broken: conv padding', (n) => {
  if (n.op !== 'Conv' || !Array.isArray(n.attrs?.['pads'])) return [n]
  const [t, l, b, r] = n.attrs['pads'] as number[]
  return [{ ...n, attrs: { ...n.attrs, pads: [t! + 1, l!, Math.max(0, b! - 1), r!] } }]
})
