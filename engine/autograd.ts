// The tape. A Var wraps a Tensor; applying an op to Vars that require gradients records a node.
// Gradient rules (next to each kernel in ops/) are written with these same differentiable ops, so
// the gradient is itself a recorded computation: differentiate it again for second order.
import { Tensor } from './tensor.ts'

export type Attrs = Record<string, unknown>

/**
 * An op is either a primitive (a forward kernel and its gradient rule) or a composite built from
 * other ops' Vars, whose gradient then follows from theirs: few primitives carry gradients.
 */
export type OpDef = Primitive | Composite

export interface Composite {
  name: string
  /** Omitted optional inputs arrive as undefined. */
  compose(inputs: (Var | undefined)[], attrs: Attrs): Var[]
}

export interface Primitive {
  name: string
  compose?: undefined
  /** Forward kernel on plain tensors. */
  forward(inputs: Tensor[], attrs: Attrs): Tensor[]
  /**
   * Gradients w.r.t. each input from the gradients of each output, written with differentiable ops.
   * `undefined` means "no gradient flows there" (integer inputs, masks, shapes).
   */
  backward?(inputs: Var[], outputs: Var[], grads: Var[], attrs: Attrs): (Var | undefined)[]
}

interface TapeNode {
  def: Primitive
  inputs: Var[]
  outputs: Var[]
  attrs: Attrs
}

export class Var {
  creator?: TapeNode
  constructor(
    readonly value: Tensor,
    readonly requiresGrad = false,
  ) {}
  get shape(): readonly number[] {
    return this.value.shape
  }
  get dtype() {
    return this.value.dtype
  }
}

/** A value gradients do not flow into. */
export const constant = (t: Tensor): Var => new Var(t, false)
/** A leaf that gradients are taken with respect to. */
export const leaf = (t: Tensor): Var => new Var(t, true)

let recording = true

/** Run `fn` without recording (a first-order backward needs no tape of its own). */
export function noGrad<T>(fn: () => T): T {
  const was = recording
  recording = false
  try {
    return fn()
  } finally {
    recording = was
  }
}

export function apply(def: OpDef, inputs: (Var | undefined)[], attrs: Attrs = {}): Var[] {
  if (def.compose) return def.compose(inputs, attrs)
  if (inputs.some((v) => v === undefined)) throw new Error('an omitted optional input before a present one is not supported')
  const present = inputs as Var[]
  const outs = def.forward(
    present.map((v) => v.value),
    attrs,
  )
  const track = recording && def.backward !== undefined && present.some((v) => v.requiresGrad)
  const vars = outs.map((t) => new Var(t, track))
  if (track) {
    const node: TapeNode = { def, inputs: present, outputs: vars, attrs }
    for (const v of vars) v.creator = node
  }
  return vars
}

export const apply1 = (def: OpDef, inputs: Var[], attrs: Attrs = {}): Var => apply(def, inputs, attrs)[0]!

/** Topological order of the nodes that lead to `root`, outputs before inputs. */
function reverseTopo(root: Var): TapeNode[] {
  const order: TapeNode[] = []
  const seen = new Set<TapeNode>()
  // iterative DFS: deep RNN unrolls would overflow a recursive one
  const stack: [TapeNode, number][] = root.creator ? [[root.creator, 0]] : []
  if (root.creator) seen.add(root.creator)
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!
    const [node, i] = top
    if (i < node.inputs.length) {
      top[1]++
      const c = node.inputs[i]!.creator
      if (c && !seen.has(c)) {
        seen.add(c)
        stack.push([c, 0])
      }
    } else {
      stack.pop()
      order.push(node)
    }
  }
  return order.reverse()
}

export interface GradOptions {
  /** Gradient of the output to start from; defaults to ones (i.e. d sum(y)). */
  seed?: Var
  /** Record the backward pass itself, so the result can be differentiated again. */
  createGraph?: boolean
  /** Adds two gradient contributions (the Add op; injected to keep this file free of kernels). */
  add: (a: Var, b: Var) => Var
  /** Zeros shaped like `v`, for outputs or inputs no gradient reaches. */
  zerosLike: (v: Var) => Var
}

/** Reverse-mode gradients of `y` w.r.t. each of `wrt` (zeros where `y` does not depend on it). */
export function grad(y: Var, wrt: Var[], opts: GradOptions): Var[] {
  const run = () => {
    const grads = new Map<Var, Var>()
    grads.set(y, opts.seed ?? constant(Tensor.full(y.dtype, y.shape, 1)))
    for (const node of reverseTopo(y)) {
      const gOut = node.outputs.map((o) => grads.get(o))
      if (gOut.every((g) => g === undefined)) continue
      const gIn = node.def.backward!(
        node.inputs,
        node.outputs,
        gOut.map((g, i) => g ?? opts.zerosLike(node.outputs[i]!)),
        node.attrs,
      )
      node.inputs.forEach((x, i) => {
        const g = gIn[i]
        if (!g || !x.requiresGrad) return
        const prev = grads.get(x)
        grads.set(x, prev ? opts.add(prev, g) : g)
      })
    }
    return wrt.map((w) => grads.get(w) ?? opts.zerosLike(w))
  }
  return opts.createGraph ? run() : noGrad(run)
}

/** A constant scalar in `like`'s dtype, for formulas such as 1 − y. */
export const scalarLike = (like: Var, value: number): Var => constant(Tensor.scalar(like.dtype, value))
