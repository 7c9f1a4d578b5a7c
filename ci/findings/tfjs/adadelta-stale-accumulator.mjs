// TensorFlow.js: tf.train.adadelta divides by the accumulator before adding the new g², so with a
// constant gradient its step is exactly lr·g forever. Found by nnspec's optim.update-rules[adadelta].
//
// Zeiler (2012), Algorithm 1: E[g²]ₜ = ρE[g²]ₜ₋₁ + (1−ρ)gₜ²; Δx = −√(E[Δx²]ₜ₋₁+ε)/√(E[g²]ₜ+ε)·gₜ;
// E[Δx²]ₜ = ρE[Δx²]ₜ₋₁ + (1−ρ)Δx². One step from x = 0.5 with g = 0.2, ρ = 0.95, ε = 1e−6, lr = 1:
// E[g²] = 0.05·0.04 = 0.002, Δx = −√1e−6/√(0.002 + 1e−6)·0.2 = −0.004471 → x = 0.495529.
import { tf } from './_quiet.mjs'

const x = tf.variable(tf.scalar(0.5))
const opt = tf.train.adadelta(1, 0.95, 1e-6)
opt.applyGradients([{ name: x.name, tensor: tf.scalar(0.2) }])
const got = x.dataSync()[0]
const eg2 = 0.05 * 0.2 ** 2
const want = 0.5 - (Math.sqrt(1e-6) / Math.sqrt(eg2 + 1e-6)) * 0.2
console.log(`tf.train.adadelta(lr 1, ρ 0.95, ε 1e-6), one step from 0.5 with gradient 0.2\n  tfjs:     ${got}\n  Zeiler:   ${want.toFixed(6)} (E[g²] = (1−ρ)g² = ${eg2}; Δx = −√ε/√(E[g²]+ε)·g)`)
process.exit(Math.abs(got - want) > 1e-4 ? 1 : 0)
