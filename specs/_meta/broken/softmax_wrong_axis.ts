// Broken on purpose: Softmax normalizes along the first axis whatever `axis` says.
import { rewritingEngine } from './rewrite.ts'
export default rewritingEngine('broken: softmax axis', (n) => (n.op === 'Softmax' || n.op === 'LogSoftmax' ? [{ ...n, attrs: { ...n.attrs, axis: 0 } }] : [n]))
