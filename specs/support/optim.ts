// Optimizer experiments: the engine's optimizer driven on closed-form gradients, and gradient
// descent (harness update) on engine gradients of quadratics and a double well.
import type { ClaimContext } from '../../harness/claim.ts'
import { requireGrad, Unsupported } from '../../harness/claim.ts'
import type { Compiled, OptimizerSpec } from '../../contract/types.ts'
import { GraphBuilder } from '../../harness/graph_builder.ts'
import { td, values } from '../../harness/tensors.ts'

/** `steps` updates of the engine's optimizer from theta0, with gradients from `grad`. */
export function optimize(ctx: ClaimContext, spec: OptimizerSpec, theta0: number[], steps: number, grad: (theta: number[], t: number) => number[]): { path: number[][]; convention: Record<string, string> } {
  if (!ctx.engine.optimizer) throw new Unsupported('engine has no optimizers')
  const opt = ctx.engine.optimizer(spec)
  let theta = theta0
  const path = [theta]
  for (let t = 0; t < steps; t++) {
    const g = grad(theta, t)
    theta = values(opt.step({ w: td(ctx.dtype, [theta.length], theta) }, { w: td(ctx.dtype, [g.length], g) })['w']!)
    path.push(theta)
  }
  return { path, convention: opt.convention ?? {} }
}

/** f(x) = ½ Σ λᵢ xᵢ² as an engine graph; returns the compiled graph and its loss name. */
export async function quadratic(ctx: ClaimContext, lambdas: number[]): Promise<{ c: Compiled & Required<Pick<Compiled, 'valueAndGrad'>>; loss: string }> {
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [lambdas.length])
  const half = g.const('half', td(ctx.dtype, [lambdas.length], lambdas.map((l) => l / 2)))
  const loss = g.op('ReduceSum', [g.op('Mul', [half, g.op('Mul', [x, x])])], { keepdims: 0 })
  const c = await ctx.engine.compile(g.output(loss).build())
  requireGrad(c)
  return { c, loss }
}

/** Plain gradient descent x ← x − lr·∇f(x) with the engine's gradient; stops at |f| < tol or divergence. */
export async function descend(c: Compiled & Required<Pick<Compiled, 'valueAndGrad'>>, loss: string, dtype: 'float32' | 'float64', x0: number[], lr: number, maxSteps: number, tol: number): Promise<{ steps: number; value: number; converged: boolean; diverged: boolean }> {
  let x = x0
  for (let s = 0; s < maxSteps; s++) {
    const { value, grads } = await c.valueAndGrad({ x: td(dtype, [x.length], x) }, loss, ['x'])
    if (value < tol) return { steps: s, value, converged: true, diverged: false }
    if (!Number.isFinite(value) || value > 1e12) return { steps: s, value, converged: false, diverged: true }
    const g = values(grads['x']!)
    x = x.map((v, i) => v - lr * g[i]!)
  }
  const value = (await c.valueAndGrad({ x: td(dtype, [x.length], x) }, loss, ['x'])).value
  return { steps: maxSteps, value, converged: value < tol, diverged: !Number.isFinite(value) || value > 1e12 }
}

/** f(x) = x⁴ − 3x² + x: two minima, the global one near −1.30, a local one near 1.13. */
export async function doubleWell(ctx: ClaimContext) {
  const g = new GraphBuilder(ctx.dtype)
  const x = g.input('x', [1])
  const x2 = g.op('Mul', [x, x])
  const f = g.op('Add', [g.op('Sub', [g.op('Mul', [x2, x2]), g.op('Mul', [g.const('three', td(ctx.dtype, [1], [3])), x2])]), x])
  const loss = g.op('ReduceSum', [f], { keepdims: 0 })
  const c = await ctx.engine.compile(g.output(loss).build())
  requireGrad(c)
  return async (x0: number, lr: number, steps: number) => {
    let v = x0
    for (let s = 0; s < steps; s++) v -= lr * values((await c.valueAndGrad({ x: td(ctx.dtype, [1], [v]) }, loss, ['x'])).grads['x']!)[0]!
    return v
  }
}
