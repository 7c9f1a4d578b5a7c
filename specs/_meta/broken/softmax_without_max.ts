// Broken on purpose: Softmax computed as eˣ/Σeˣ without subtracting the max: e^1e4 overflows to ∞
// and ∞/∞ is NaN. Must be caught by activation.softmax-distribution, naming softmax.
import type { Primitive } from '../../../engine/autograd.ts'
import { createReferenceEngine } from '../../../engine/index.ts'
import { Softmax } from '../../../engine/ops/activation.ts'
import { Tensor } from '../../../engine/tensor.ts'

const naive: Primitive = {
  ...Softmax,
  forward: ([x]) => {
    const n = x!.shape.at(-1)!
    const out = x!.data.map(Math.exp)
    for (let r = 0; r < out.length; r += n) {
      let s = 0
      for (let j = 0; j < n; j++) s += out[r + j]!
      for (let j = 0; j < n; j++) out[r + j] = out[r + j]! / s
    }
    return [new Tensor(x!.dtype, x!.shape, out)]
  },
}

export default createReferenceEngine('float32', [naive], 'broken: softmax overflow')
