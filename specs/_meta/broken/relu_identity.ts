// Broken on purpose: Relu is the identity (no nonlinearity at all).
import { rewritingEngine } from './rewrite.ts'
export default rewritingEngine('broken: relu is identity', (n) => (n.op === 'Relu' ? [{ ...n, op: 'Identity' }] : [n]))
