// Broken engines generated per op: `per_op.ts#forward-<Op>` computes that op's outputs slightly
// wrong (a position-dependent scale and offset, with the matching derivative), `per_op.ts#grad-<Op>`
// computes them right but scales the gradient flowing back through the op (position-dependent, 5–15%).
// Every other op is the reference's. The soundness matrix holds each ops.<Op> and backprop.chain-rule
// to flipping on them.
import { apply, apply1, constant, type Composite, type OpDef, type Primitive } from '../../../engine/autograd.ts'
import { createReferenceEngine } from '../../../engine/index.ts'
import { mul } from '../../../engine/ops/binary.ts'
import { OPS } from '../../../engine/ops/index.ts'
import { Tensor } from '../../../engine/tensor.ts'
import type { Engine } from '../../../contract/types.ts'

const along = (like: Tensor, f: (i: number) => number) => new Tensor(like.dtype, like.shape, like.data.map((_, i) => f(i)))
const scale = (i: number) => 1 + 0.01 * ((i % 5) - 2)
const offset = (i: number) => 0.002 * ((i % 3) - 1)
const skew = (i: number) => 1.05 + 0.05 * (i % 3)

// y_i = x_i·(1 + 0.01·((i mod 5) − 2)) + 0.002·((i mod 3) − 1);  dx = g ⊙ (1 + 0.01·((i mod 5) − 2))
const WrongValue: Primitive = {
  name: 'WrongValue',
  forward: ([x]) => [along(x!, (i) => x!.data[i]! * scale(i) + offset(i))],
  backward: ([x], _y, [g]) => [mul(g!, constant(along(x!.value, scale)))],
}
// y = x;  dx = g ⊙ (1.05 + 0.05·(i mod 3))
const WrongGradient: Primitive = {
  name: 'WrongGradient',
  forward: ([x]) => [x!],
  backward: ([x], _y, [g]) => [mul(g!, constant(along(x!.value, skew)))],
}

/** The op, with `bug` applied to each of its outputs (Dropout's mask excepted). */
function withBug(def: OpDef, bug: Primitive): Composite {
  return { name: def.name, compose: (inputs, attrs) => apply(def, inputs, attrs).map((v, k) => (def.name === 'Dropout' && k === 1 ? v : apply1(bug, [v]))) }
}

const make = (op: string, kind: 'forward' | 'grad') => (): Engine =>
  createReferenceEngine('float32', [withBug(OPS.get(op)!, kind === 'forward' ? WrongValue : WrongGradient)], `broken: ${op} ${kind === 'forward' ? 'values' : 'gradient'}`)

export const variants: Record<string, () => Engine> = Object.fromEntries(
  [...OPS.keys()].flatMap((op) => [[`forward-${op}`, make(op, 'forward')], [`grad-${op}`, make(op, 'grad')]]),
)
