// Symbolic derivatives by mathjs: the derivative is computed by `math.derivative`, never written by
// hand, so it is an oracle independent of every engine's gradient code. Piecewise functions are
// split into branches (mathjs does not differentiate conditionals); the branch is picked by sign.
// mathjs is loaded on first use, not at import, and only its numbers-only build (≈ 0.2 s, the full one
// ≈ 0.8 s): every runner worker imports this file with all specs, while only a few activation claims
// evaluate an expression
import { createRequire } from 'node:module'

type MathJs = typeof import('mathjs')
let mathjs: MathJs | undefined
const math = (): MathJs => (mathjs ??= createRequire(import.meta.url)('mathjs/number') as MathJs)

export interface SymbolicFn {
  name: string
  op: string
  attrs: Record<string, number>
  /** expression per branch: [x ≤ 0, x > 0], or one expression for both */
  expr: string | [string, string]
  f(x: number): number
  df(x: number): number
  /** the derivative as mathjs printed it, per branch */
  derivative: string | [string, string]
}

/** One branch, compiled when first evaluated. */
const branchFn = (expr: string, params: Record<string, number>) => {
  let built: { f: (x: number) => number; df: (x: number) => number; text: string } | undefined
  const b = () => {
    if (built) return built
    const { compile, derivative, parse } = math()
    const [f, d] = [compile(expr), derivative(parse(expr), 'x')]
    const df = d.compile()
    return (built = { f: (x: number) => f.evaluate({ x, ...params }) as number, df: (x: number) => df.evaluate({ x, ...params }) as number, text: d.toString() })
  }
  return { f: (x: number) => b().f(x), df: (x: number) => b().df(x), get text() { return b().text } }
}

export function symbolic(name: string, op: string, expr: string | [string, string], attrs: Record<string, number> = {}): SymbolicFn {
  if (typeof expr === 'string') {
    const b = branchFn(expr, attrs)
    return { name, op, attrs, expr, f: b.f, df: b.df, get derivative() { return b.text } }
  }
  const [neg, pos] = [branchFn(expr[0], attrs), branchFn(expr[1], attrs)]
  return {
    name,
    op,
    attrs,
    expr,
    f: (x) => (x > 0 ? pos.f(x) : neg.f(x)),
    df: (x) => (x > 0 ? pos.df(x) : neg.df(x)),
    get derivative(): [string, string] {
      return [neg.text, pos.text]
    },
  }
}

/** Every scalar activation of the op set, with ONNX's default attributes. */
export const SYMBOLIC_ACTIVATIONS: SymbolicFn[] = [
  symbolic('sigmoid', 'Sigmoid', '1 / (1 + exp(-x))'),
  symbolic('tanh', 'Tanh', 'tanh(x)'),
  symbolic('relu', 'Relu', ['0 * x', 'x']),
  symbolic('leaky relu', 'LeakyRelu', ['alpha * x', 'x'], { alpha: 0.01 }),
  symbolic('elu', 'Elu', ['alpha * (exp(x) - 1)', 'x'], { alpha: 1 }),
  symbolic('softplus', 'Softplus', 'log(1 + exp(x))'),
  symbolic('exp', 'Exp', 'exp(x)'),
  symbolic('abs', 'Abs', ['-x', 'x']),
  symbolic('neg', 'Neg', '-x'),
]

/** Per-element losses as functions of the prediction x with target y. */
export const SYMBOLIC_LOSSES = {
  squaredError: (y: number) => symbolic('squared error', '', `(x - ${y})^2`),
  bceFromLogit: (y: number) => symbolic('bce from logit', '', `log(1 + exp(x)) - x * ${y}`),
}
