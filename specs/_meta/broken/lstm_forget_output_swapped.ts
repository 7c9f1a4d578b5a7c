// Broken on purpose: LSTM with the forget and output gates swapped (gate order i-f-o-c read as
// i-o-f-c). Must be caught by rnn.gated-cells-match-onnx, naming LSTM.
import { permuteBlocks, rewritingEngine } from './rewrite.ts'

export default rewritingEngine('broken: lstm gates', (n, graph) => {
  if (n.op !== 'LSTM') return [n]
  // hidden_size is optional: R is [dirs, 4·h, h]
  const R = graph.inputs.find((i) => i.name === n.inputs[2]) ?? { shape: graph.initializers?.[n.inputs[2]!]?.shape ?? [] }
  const h = (n.attrs?.['hidden_size'] as number | undefined) ?? (R.shape[2] as number)
  const swap = [0, 2, 1, 3] // i, o, f, c → i, f, o, c
  const w = permuteBlocks(graph, n.inputs[1]!, swap, h, 1, n.name ?? 'lstm')
  const r = permuteBlocks(graph, n.inputs[2]!, swap, h, 1, n.name ?? 'lstm')
  return [w.node, r.node, { ...n, inputs: [n.inputs[0]!, w.out, r.out, ...n.inputs.slice(3)] }]
})
