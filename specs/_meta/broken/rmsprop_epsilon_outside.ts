// Broken on purpose: RMSProp puts ε outside the square root even when the spec asks for it inside.
// Must be caught by optim.update-rules (which asks for inside-sqrt), naming rmsprop.
import { withRule } from './optimizers_broken.ts'

export default withRule('broken: rmsprop epsilon', 'rmsprop', (spec) => ({
  slots: ['E'],
  update: (theta, g, s, i) => {
    const E = (s['E']![i] = 0.9 * s['E']![i]! + 0.1 * g * g)
    return theta - (spec.lr * g) / (Math.sqrt(E) + (spec.params?.['epsilon'] ?? 1e-8))
  },
  convention: { epsilon: spec.convention?.['epsilon'] ?? 'outside-sqrt' },
}))
