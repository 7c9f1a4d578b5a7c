// Building contract graphs in specs: unique names; trainable parameters are graph inputs (fed with
// their values on every call, so any engine can differentiate and update them), constants initializers.
import type { DType, FloatDType, Graph, GraphInput, Node, TensorData } from '../contract/types.ts'

export class GraphBuilder {
  private nodes: Node[] = []
  private inputs: GraphInput[] = []
  private inits: Record<string, TensorData> = {}
  private outs: string[] = []
  private used = new Set<string>()
  private counter = 0
  /** Names of the trainable parameters, in creation order. */
  readonly params: string[] = []
  private values: Record<string, TensorData> = {}

  constructor(readonly dtype: FloatDType) {}

  /** A builder that continues an existing graph (its names are taken; parameters stay plain inputs). */
  static from(graph: Graph, dtype: FloatDType): GraphBuilder {
    const g = new GraphBuilder(dtype)
    g.inputs = [...graph.inputs]
    g.inits = { ...graph.initializers }
    g.nodes = [...graph.nodes]
    g.outs = [...graph.outputs]
    for (const n of [...graph.inputs.map((i) => i.name), ...Object.keys(graph.initializers ?? {}), ...graph.nodes.flatMap((n) => [...n.outputs, ...(n.name ? [n.name] : [])])]) g.used.add(n)
    return g
  }

  private fresh(base: string): string {
    let name = base
    while (this.used.has(name)) name = `${base}_${++this.counter}`
    this.used.add(name)
    return name
  }

  input(name: string, shape: (number | string)[], dtype: DType = this.dtype): string {
    const n = this.fresh(name)
    this.inputs.push({ name: n, dtype, shape })
    return n
  }

  /** A trainable parameter: a graph input whose initial value is kept in `paramValues()`. */
  param(name: string, t: TensorData): string {
    const n = this.fresh(name)
    this.inputs.push({ name: n, dtype: t.dtype, shape: [...t.shape] })
    this.values[n] = t
    this.params.push(n)
    return n
  }

  /** A fixed initializer (shapes, axes, constants). */
  const(name: string, t: TensorData): string {
    const n = this.fresh(name)
    this.inits[n] = t
    return n
  }

  op(op: string, inputs: string[], attrs?: Record<string, unknown>, name?: string): string {
    return this.opN(op, inputs, 1, attrs, name)[0]!
  }

  opN(op: string, inputs: string[], outputs: number, attrs?: Record<string, unknown>, name?: string): string[] {
    const nodeName = this.fresh(name ?? op)
    const outs = Array.from({ length: outputs }, (_, i) => this.fresh(`${nodeName}:${i}`))
    this.nodes.push({ op, inputs, outputs: outs, name: nodeName, ...(attrs ? { attrs } : {}) })
    return outs
  }

  output(...names: string[]): this {
    this.outs.push(...names)
    return this
  }

  /** Initial values of the trainable parameters. */
  paramValues(): Record<string, TensorData> {
    return { ...this.values }
  }

  build(): Graph {
    return { inputs: [...this.inputs], initializers: { ...this.inits }, nodes: [...this.nodes], outputs: [...this.outs] }
  }
}
