// The graph IR executor: validate once, then run nodes in order over Vars, so the same execution
// serves forward runs, gradients and Hessian-vector products.
import type { Compiled, FloatDType, Graph, Node, TensorData } from '../contract/types.ts'
import { apply, constant, grad, leaf, type Attrs, type OpDef, type Var } from './autograd.ts'
import { add, mul } from './ops/binary.ts'
import { OPS } from './ops/index.ts'
import { runtimeInputs, staticOperands } from '../contract/onnx_schema.ts'
import { validateGraph } from '../contract/validate.ts'
import { reduceSum } from './ops/reduce.ts'
import { Tensor, fmtShape } from './tensor.ts'
import { firstNonFinite } from './ops/float_bits.ts'

export const nodeLabel = (node: Node, i: number): string => `node "${node.name ?? `#${i}`}" (${node.op})`

/** Errors name the node at fault: `Error in node "conv1" (Conv): …`. */
export class GraphError extends Error {}
const fail = (node: Node, i: number, msg: string): never => {
  throw new GraphError(`Error in ${nodeLabel(node, i)}: ${msg}`)
}

interface Step {
  node: Node
  index: number
  /** Runtime inputs ('' = an omitted optional input). */
  inputs: string[]
  attrs: Attrs
}

const isFloat = (t: TensorData) => t.dtype === 'float32' || t.dtype === 'float64'

/** Check names, ops and static operands; resolve static operands into attributes. */
export function validate(graph: Graph, ops: ReadonlyMap<string, OpDef> = OPS): Step[] {
  const defined = new Set<string>([...graph.inputs.map((i) => i.name), ...Object.keys(graph.initializers ?? {})])
  const steps = graph.nodes.map((node, i): Step => {
    const def = ops.get(node.op)
    if (!def) fail(node, i, `unknown op "${node.op}" (the reference engine implements ${[...ops.keys()].join(' ')})`)
    if (!Array.isArray(node.inputs) || !Array.isArray(node.outputs) || node.outputs.length === 0) {
      fail(node, i, 'a node needs an inputs array and at least one output')
    }
    for (const name of node.inputs) {
      if (name !== '' && !defined.has(name)) fail(node, i, `input "${name}" is not defined by any earlier node, graph input or initializer`)
    }
    const attrs: Attrs = { ...(node.attrs ?? {}), ...staticOperands(graph, node, (msg) => fail(node, i, msg)) }
    const inputs = runtimeInputs(node)
    for (const out of node.outputs) {
      if (defined.has(out)) fail(node, i, `output "${out}" is already defined`)
      defined.add(out)
    }
    return { node, index: i, inputs, attrs }
  })
  for (const out of graph.outputs) if (!defined.has(out)) throw new GraphError(`graph output "${out}" is never computed`)
  return steps
}

/** `ops` lets a test engine swap one kernel (specs/_meta builds its broken engines this way). */
export function compileGraph(graph: Graph, dtype: FloatDType, ops: ReadonlyMap<string, OpDef> = OPS): Compiled {
  validateGraph(graph)
  for (const [what, name, t] of [...graph.inputs.map((i) => ['graph input', i.name, i.dtype] as const), ...Object.entries(graph.initializers ?? {}).map(([k, v]) => ['initializer', k, v.dtype] as const)]) {
    if ((t === 'float32' || t === 'float64') && t !== dtype) throw new GraphError(`${what} "${name}" is ${t} but this engine computes in ${dtype}: cast the graph first (an engine never narrows or widens silently)`)
  }
  const steps = validate(graph, ops)
  const inits = new Map<string, Tensor>()
  for (const [name, t] of Object.entries(graph.initializers ?? {})) if (isFloat(t)) inits.set(name, Tensor.from(t, dtype))

  /** Evaluate every node; names in `wrt` become leaves that gradients flow into. */
  function execute(feeds: Record<string, TensorData>, wrt: string[] = []): Map<string, Var> {
    const env = new Map<string, Var>()
    const bind = (name: string, t: Tensor) => env.set(name, wrt.includes(name) ? leaf(t) : constant(t))
    for (const [name, t] of inits) bind(name, t)
    for (const inp of graph.inputs) {
      const t = feeds[inp.name]
      if (!t) throw new GraphError(`missing feed for graph input "${inp.name}"`)
      checkFeed(inp.name, inp.shape, t, dtype)
      bind(inp.name, Tensor.from(t, dtype))
    }
    for (const name of wrt) if (!env.has(name)) throw new GraphError(`cannot differentiate w.r.t. "${name}": not a graph input or float initializer`)
    for (const s of steps) {
      const args = s.inputs.map((n) => (n === '' ? undefined : env.get(n)))
      let outs: Var[]
      try {
        outs = apply(ops.get(s.node.op)!, trimTrailing(args), s.attrs)
      } catch (e) {
        if (e instanceof GraphError) throw e
        const shapes = args.map((v) => (v ? fmtShape(v.shape) : '∅')).join(', ')
        fail(s.node, s.index, `${(e as Error).message} (input shapes ${shapes})`)
      }
      s.node.outputs.forEach((name, k) => {
        if (name === '') return
        if (!outs![k]) fail(s.node, s.index, `output ${k} ("${name}") is not computed by this engine: its ${s.node.op} gives ${outs!.length} output${outs!.length === 1 ? '' : 's'}`)
        env.set(name, outs![k]!)
      })
    }
    return env
  }

  const scalarOf = (env: Map<string, Var>, of: string): Var => {
    const y = env.get(of)
    if (!y) throw new GraphError(`"${of}" is not a value of the graph`)
    if (y.value.size !== 1) throw new GraphError(`"${of}" must be a scalar to take its gradient, has shape ${fmtShape(y.shape)}`)
    return y
  }
  const gradOpts = { add, zerosLike: (v: Var) => constant(Tensor.zeros(v.dtype, v.shape)) }

  return {
    async run(feeds) {
      const env = execute(feeds)
      return Object.fromEntries(graph.outputs.map((o) => [o, env.get(o)!.value.toData()]))
    },
    async valueAndGrad(feeds, of, wrt) {
      const env = execute(feeds, wrt)
      const y = scalarOf(env, of)
      const gs = grad(y, wrt.map((w) => env.get(w)!), gradOpts)
      return { value: y.value.item(), grads: Object.fromEntries(wrt.map((w, i) => [w, gs[i]!.value.toData()])) }
    },
    // Hv = ∇(∇f · v): differentiate the recorded gradient once more
    async hessianVectorProduct(feeds, of, wrt, v) {
      const env = execute(feeds, wrt)
      const xs = wrt.map((w) => env.get(w)!)
      const gs = grad(scalarOf(env, of), xs, { ...gradOpts, createGraph: true })
      const dot = gs
        .map((g, i) => reduceSum(mul(g, constant(Tensor.from(v[wrt[i]!]!, dtype))), [], false))
        .reduce((a, b) => add(a, b))
      const hv = grad(dot, xs, gradOpts)
      return Object.fromEntries(wrt.map((w, i) => [w, hv[i]!.value.toData()]))
    },
  }
}

/** Trailing omitted optional inputs are simply absent; omitted ones in the middle stay undefined. */
function trimTrailing(args: (Var | undefined)[]): (Var | undefined)[] {
  let end = args.length
  while (end > 0 && args[end - 1] === undefined) end--
  return args.slice(0, end)
}

/** Feeds must match the declared fixed dims and be finite: a NaN fed in is a bug upstream. */
function checkFeed(name: string, shape: (number | string)[], t: TensorData, dtype: FloatDType): void {
  if (!isFloat(t)) throw new GraphError(`graph input "${name}": dtype ${t.dtype} is not a float type`)
  if (t.dtype !== dtype) throw new GraphError(`graph input "${name}": fed ${t.dtype} but the graph declares ${dtype}`)
  const n = t.shape.reduce((a, b) => a * b, 1)
  if (t.data.length !== n) throw new GraphError(`graph input "${name}": fed ${t.data.length} values for shape ${fmtShape(t.shape)}, which needs ${n}`)
  const ok = t.shape.length === shape.length && shape.every((d, i) => typeof d === 'string' || d === t.shape[i])
  if (!ok) throw new GraphError(`graph input "${name}": fed shape ${fmtShape(t.shape)} but the graph declares [${shape.join(',')}]`)
  const data = t.data as Float32Array | Float64Array
  const i = firstNonFinite(data)
  if (i >= 0) throw new GraphError(`graph input "${name}": value ${data[i]} at flat index ${i} is not finite`)
}
