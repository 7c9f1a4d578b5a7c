// tfjs-cpu's broadcasting Add, Sub and Mul on large outputs go through `spread` (a product with ones,
// for speed): it must give tf.add/sub/mul's values bit for bit, and their gradients up to float32
// summation order (the product sums in float32 blocks, tfjs's Sum in float64).
import * as tf from '@tensorflow/tfjs'
import { expect, test } from 'vitest'
import { TRANSLATIONS } from './ops.ts'

const SHAPES: [number[], number[]][] = [
  [[20, 12, 32], [20, 1, 32]], // a replicated bias
  [[20, 12, 32], [1, 32]],
  [[8, 1, 32, 16], [1, 8, 1, 16]], // both operands broadcast, on separate axes
  [[4, 8, 16, 16], [1, 8, 1, 1]], // a Conv bias
  [[64, 64], [64, 1]],
  [[1], [5000]],
]
const PLAIN = { Add: tf.add, Sub: tf.sub, Mul: tf.mul }

test.each(SHAPES)('tfjs-cpu Add, Sub, Mul of %j and %j: the values of the plain kernel, bit for bit, and its gradients', async (ps, qs) => {
  const warn = console.warn
  console.warn = () => {}
  await tf.setBackend('cpu')
  console.warn = warn
  tf.tidy(() => {
    const [p, q] = [tf.randomNormal(ps, 0, 1, 'float32', 1), tf.randomNormal(qs, 0, 1, 'float32', 2)]
    for (const [op, plain] of Object.entries(PLAIN)) {
      const ours = (a: tf.Tensor, b: tf.Tensor) => TRANSLATIONS[op]!(tf, [a, b], {}, {})[0]!
      const [y, want] = [ours(p, q), plain(p, q)]
      expect(y.shape, op).toEqual(want.shape)
      expect(Array.from(y.dataSync()), op).toEqual(Array.from(want.dataSync()))
      const grads = (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor) => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), tf.randomNormal(want.shape, 0, 1, 'float32', 3))))([p, q])
      const [g, gWant] = [grads(ours), grads(plain)]
      g.forEach((t, i) => {
        const [a, b] = [t.dataSync(), gWant[i]!.dataSync()]
        expect(t.shape).toEqual(gWant[i]!.shape)
        a.forEach((v, k) => expect(Math.abs(v - b[k]!), `${op} gradient ${i}[${k}]`).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(b[k]!))))
      })
    }
  })
})
