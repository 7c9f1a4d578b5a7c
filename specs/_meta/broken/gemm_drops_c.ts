// Broken on purpose: Gemm ignores its bias operand C.
import { rewritingEngine } from './rewrite.ts'
export default rewritingEngine('broken: gemm drops C', (n) => (n.op === 'Gemm' ? [{ ...n, inputs: n.inputs.slice(0, 2) }] : [n]))
