// Broken on purpose: Adam without bias correction (m, v used raw). Must be caught by optim.update-rules, naming adam.
import { withRule } from './optimizers_broken.ts'

export default withRule('broken: adam bias', 'adam', (spec) => ({
  slots: ['m', 'v'],
  update: (theta, g, s, i) => {
    const m = (s['m']![i] = 0.9 * s['m']![i]! + 0.1 * g)
    const v = (s['v']![i] = 0.999 * s['v']![i]! + 0.001 * g * g)
    return theta - (spec.lr * m) / (Math.sqrt(v) + 1e-8)
  },
  convention: { epsilon: 'outside-sqrt', biasCorrection: 'yes' },
}))
