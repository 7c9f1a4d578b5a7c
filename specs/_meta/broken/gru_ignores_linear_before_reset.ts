// Broken on purpose: GRU ignores linear_before_reset. Must be caught by rnn.gated-cells-match-onnx, naming GRU.
import { rewritingEngine } from './rewrite.ts'

export default rewritingEngine('broken: gru lbr', (n) => (n.op === 'GRU' ? [{ ...n, attrs: { ...n.attrs, linear_before_reset: 0 } }] : [n]))
