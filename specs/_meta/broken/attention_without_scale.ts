// Broken on purpose: attention graphs run without their 1/√d scaling (the engine drops the scaling
// Mul). Must be caught by attention.no-extra-parameters, naming the attention weights.
import { rewritingEngine } from './rewrite.ts'

export default rewritingEngine('broken: attention scale', (n) => (n.name === 'attn/scale' ? [{ op: 'Identity', inputs: [n.inputs[0]!], outputs: n.outputs, name: n.name }] : [n]))
