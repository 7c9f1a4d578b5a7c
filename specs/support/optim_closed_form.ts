// The seven update rules written out again, independently of engine/optim, in float64 on plain
// arrays: the oracle of optim.update-rules. A `convention` (as an engine states it) selects where
// epsilon sits, the epsilon value and AdaGrad's initial accumulator.
import type { OptimizerSpec } from '../../contract/types.ts'

export type Step = (theta: number[], g: number[]) => number[]

/**
 * The variants of each rule that published implementations use: an engine may state one of these
 * (and is then held to it), never anything else. ε placement and value, AdaGrad's initial accumulator.
 */
export const PUBLISHED_VARIANTS: Record<string, Record<string, string[]>> = {
  momentum: { momentum: ['heavy-ball'] },
  nesterov: { momentum: ['nesterov-sutskever'] },
  adagrad: { epsilon: ['outside-sqrt', 'inside-sqrt'], epsilonValue: ['1e-10', '1e-8', '1e-7', '1e-6'], initialAccumulator: ['0', '0.1'] },
  rmsprop: { epsilon: ['outside-sqrt', 'inside-sqrt'], epsilonValue: ['1e-10', '1e-8', '1e-7', '1e-6'] },
  adadelta: { epsilon: ['inside-sqrt'], epsilonValue: ['1e-8', '1e-7', '1e-6'] },
  adam: { epsilon: ['outside-sqrt'], epsilonValue: ['1e-8', '1e-7'], biasCorrection: ['yes'] },
}

/** Why an engine's stated convention is not acceptable for `spec`: outside the published variants, or not what was asked. */
export function conventionProblem(spec: OptimizerSpec, stated: Record<string, string>): string | undefined {
  const known = PUBLISHED_VARIANTS[spec.rule] ?? {}
  for (const [key, allowed] of Object.entries(known)) {
    const v = stated[key]
    if (v === undefined) continue
    const asked = key === 'epsilonValue' && spec.params?.['epsilon'] !== undefined ? String(spec.params['epsilon']) : spec.convention?.[key]
    if (asked !== undefined && Number(v) !== Number(asked) && v !== asked) return `${spec.rule}: asked for ${key} ${asked}, the engine states ${v}`
    if (asked === undefined && !allowed.some((a) => a === v || Number(a) === Number(v))) return `${spec.rule}: stated ${key} ${v} is not a published variant (${allowed.join(', ')})`
  }
  return undefined
}

export function closedForm(spec: OptimizerSpec, convention: Record<string, string> = {}): Step {
  const h = (k: string, d: number) => spec.params?.[k] ?? d
  const lr = spec.lr
  const zeros = () => [] as number[]
  let t = 0
  const [a, b] = [zeros(), zeros()]
  const inside = convention['epsilon']?.startsWith('inside')
  const eps = (d: number) => (convention['epsilonValue'] ? Number(convention['epsilonValue']) : h('epsilon', d))
  const denom = (acc: number, e: number) => (inside ? Math.sqrt(acc + e) : Math.sqrt(acc) + e)
  switch (spec.rule) {
    case 'sgd':
      return (th, g) => th.map((x, i) => x - lr * g[i]!)
    case 'momentum':
      return (th, g) => th.map((x, i) => x - lr * (a[i] = h('momentum', 0.9) * (a[i] ?? 0) + g[i]!))
    case 'nesterov':
      return (th, g) => th.map((x, i) => {
        const mu = h('momentum', 0.9)
        a[i] = mu * (a[i] ?? 0) + g[i]!
        return x - lr * (g[i]! + mu * a[i]!)
      })
    case 'adagrad': {
      const init = convention['initialAccumulator'] ? Number(convention['initialAccumulator']) : h('initialAccumulator', 0)
      return (th, g) => th.map((x, i) => x - (lr * g[i]!) / denom((a[i] = (a[i] ?? init) + g[i]! ** 2), eps(1e-8)))
    }
    case 'rmsprop':
      return (th, g) => th.map((x, i) => x - (lr * g[i]!) / denom((a[i] = h('rho', 0.9) * (a[i] ?? 0) + (1 - h('rho', 0.9)) * g[i]! ** 2), eps(1e-8)))
    case 'adadelta':
      return (th, g) => th.map((x, i) => {
        const [rho, e] = [h('rho', 0.95), eps(1e-6)]
        a[i] = rho * (a[i] ?? 0) + (1 - rho) * g[i]! ** 2
        const d = (-Math.sqrt((b[i] ?? 0) + e) / Math.sqrt(a[i]! + e)) * g[i]!
        b[i] = rho * (b[i] ?? 0) + (1 - rho) * d * d
        return x + lr * d
      })
    case 'adam':
      return (th, g) => {
        t++
        const [b1, b2, e] = [h('beta1', 0.9), h('beta2', 0.999), eps(1e-8)]
        return th.map((x, i) => {
          a[i] = b1 * (a[i] ?? 0) + (1 - b1) * g[i]!
          b[i] = b2 * (b[i] ?? 0) + (1 - b2) * g[i]! ** 2
          return x - (lr * (a[i]! / (1 - b1 ** t))) / (Math.sqrt(b[i]! / (1 - b2 ** t)) + e)
        })
      }
  }
}
