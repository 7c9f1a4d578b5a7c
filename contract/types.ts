// The one contract between nnspec and any engine: a graph IR of ONNX operators (opset 17).
// Specs only ever talk to engines through these types; a third party implements `Engine` in one
// module that default-exports it.

export type DType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool'
export type FloatDType = 'float32' | 'float64'

export type TypedData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array

export interface TensorData {
  dtype: DType
  shape: number[]
  data: TypedData
}

/** One ONNX node. Attribute values are plain JS numbers, number arrays and strings. */
export interface Node {
  op: string
  inputs: string[]
  outputs: string[]
  attrs?: Record<string, unknown>
  name?: string
}

export interface GraphInput {
  name: string
  dtype: DType
  /** Numbers are fixed sizes; strings are symbolic (batch) dimensions. */
  shape: (number | string)[]
}

export interface Graph {
  inputs: GraphInput[]
  initializers?: Record<string, TensorData>
  nodes: Node[]
  outputs: string[]
}

export interface ValueAndGrad {
  value: number
  grads: Record<string, TensorData>
}

export interface Compiled {
  run(feeds: Record<string, TensorData>): Promise<Record<string, TensorData>>
  /**
   * Gradient of the scalar output `of` with respect to the named inputs or initializers. `of` has one
   * element: rank 0 usually, [1, 1] or [1, 1, 1, 1] when the harness sums an output with Gemm or Conv
   * because the engine lacks Mul or ReduceSum (harness/scalarize.ts).
   */
  valueAndGrad?(feeds: Record<string, TensorData>, of: string, wrt: string[]): Promise<ValueAndGrad>
  /**
   * Hessian-vector product of the scalar `of` w.r.t. `wrt`, along `v` (same names): Σ_j ∂²f/∂x_i∂x_j v_j.
   * Present only on engines with higher-order autograd.
   */
  hessianVectorProduct?(
    feeds: Record<string, TensorData>,
    of: string,
    wrt: string[],
    v: Record<string, TensorData>,
  ): Promise<Record<string, TensorData>>
  dispose?(): void
}

/** Published update rules; `convention` says where an engine departs from the textbook form. */
export type OptimizerRule = 'sgd' | 'momentum' | 'nesterov' | 'adagrad' | 'rmsprop' | 'adadelta' | 'adam'

export interface OptimizerSpec {
  rule: OptimizerRule
  lr: number
  /** Rule-specific hyper-parameters: momentum, beta1, beta2, rho, epsilon, weightDecay, … */
  params?: Record<string, number>
  /** e.g. { epsilon: 'inside-sqrt' | 'outside-sqrt', momentum: 'heavy-ball' | 'dampened' } */
  convention?: Record<string, string>
}

export interface Optimizer {
  /** Updates `params` in place-equivalent fashion and returns the new values. */
  step(params: Record<string, TensorData>, grads: Record<string, TensorData>): Record<string, TensorData>
  /** The convention this engine actually uses, stated for the report. */
  convention?: Record<string, string>
}

/** Weight initializers: Gaussian, uniform, Glorot (Xavier), He (Kaiming) and sparse, all seeded. */
export type InitRule = 'gaussian' | 'uniform' | 'glorot-normal' | 'glorot-uniform' | 'he-normal' | 'he-uniform' | 'sparse'

export interface InitSpec {
  rule: InitRule
  /** [fanIn, fanOut] for a dense weight; [out, in, kh, kw] for a conv weight (fans multiply by kh·kw) */
  shape: number[]
  seed: number
  /** std (gaussian), limit (uniform), sparsity: fraction of zeros (sparse, default 0.9) */
  params?: Record<string, number>
}

export interface Engine {
  name: string
  version: string
  /** The float types it computes in. */
  dtypes: DType[]
  /** true, or the reason it cannot run this node. */
  supports(node: Node): true | string
  compile(graph: Graph): Promise<Compiled>
  optimizer?(spec: OptimizerSpec): Optimizer
  /** The engine's own weight initializers, if any. */
  initialize?(spec: InitSpec): TensorData
}
