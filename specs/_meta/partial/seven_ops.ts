// A correct engine that has only seven ops (Gemm, Conv, MaxPool, Relu, Sigmoid, Tanh, Softmax), as a small
// outside engine might: the reference engine with every other op declined. It has no Mul, ReduceSum or
// Slice, so every check whose scaffolding uses them must be written with these seven or be skipped with
// a reason; no check of these seven may be lost to scaffolding (specs/_meta/partial_engine.test.ts).
// Its variants `#grad-<Op>` and `#forward-<Op>` are the same seven ops with one of them broken
// (specs/_meta/broken/per_op.ts): the checks written with the other six must still catch it.
import { createReferenceEngine } from '../../../engine/index.ts'
import type { Engine } from '../../../contract/types.ts'
import { variants as broken } from '../broken/per_op.ts'

export const SEVEN = ['Gemm', 'Conv', 'MaxPool', 'Relu', 'Sigmoid', 'Tanh', 'Softmax']

const sevenOf = (engine: Engine, name: string): Engine => ({
  ...engine,
  name,
  supports: (node) => (SEVEN.includes(node.op) ? engine.supports(node) : `${name} has no ${node.op} (it has ${SEVEN.join(', ')})`),
})

export const variants = Object.fromEntries(
  SEVEN.flatMap((op) => ['grad', 'forward'].map((kind) => [`${kind}-${op}`, () => sevenOf(broken[`${kind}-${op}`]!(), `seven-ops, ${op} ${kind === 'grad' ? 'gradient' : 'values'} broken`)])),
)
export default sevenOf(createReferenceEngine('float32'), 'seven-ops')
