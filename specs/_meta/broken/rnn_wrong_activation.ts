// Broken on purpose: recurrent cells use Sigmoid where ONNX's default is Tanh (the RNN's f, the LSTM's
// and GRU's g and h).
import { rewritingEngine } from './rewrite.ts'
const DEFAULTS: Record<string, string[]> = { RNN: ['Sigmoid'], LSTM: ['Sigmoid', 'Sigmoid', 'Sigmoid'], GRU: ['Sigmoid', 'Sigmoid'] }
export default rewritingEngine('broken: recurrent activation', (n) => {
  const acts = DEFAULTS[n.op]
  if (!acts || n.attrs?.['activations']) return [n]
  const dirs = n.attrs?.['direction'] === 'bidirectional' ? 2 : 1
  return [{ ...n, attrs: { ...n.attrs, activations: Array.from({ length: dirs }, () => acts).flat() } }]
})
