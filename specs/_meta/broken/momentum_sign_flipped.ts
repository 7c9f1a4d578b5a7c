// Broken on purpose: momentum adds the velocity instead of subtracting it. Must be caught by
// optim.update-rules, naming momentum.
import { withRule } from './optimizers_broken.ts'

export default withRule('broken: momentum sign', 'momentum', (spec) => ({
  slots: ['v'],
  update: (theta, g, s, i) => theta + spec.lr * (s['v']![i] = 0.9 * s['v']![i]! + g),
  convention: { momentum: 'heavy-ball' },
}))
