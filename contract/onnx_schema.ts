// Facts about ONNX opset 17 that every engine adapter needs, in one place: each op's operand counts
// and attribute types, and which operands are static (shapes, axes, bounds, indices).
import type { Graph, Node } from './types.ts'

export type AttrType = 'FLOAT' | 'INT' | 'STRING' | 'FLOATS' | 'INTS' | 'STRINGS'

export interface OpSchema {
  /** [min, max] operands (max Infinity: variadic); an omitted optional operand is '' */
  inputs: [number, number]
  outputs: [number, number]
  attrs: Record<string, AttrType>
}

const POOL: Record<string, AttrType> = { auto_pad: 'STRING', ceil_mode: 'INT', dilations: 'INTS', kernel_shape: 'INTS', pads: 'INTS', strides: 'INTS' }
const RECURRENT: Record<string, AttrType> = { activation_alpha: 'FLOATS', activation_beta: 'FLOATS', activations: 'STRINGS', clip: 'FLOAT', direction: 'STRING', hidden_size: 'INT', layout: 'INT' }
const REDUCE: Record<string, AttrType> = { keepdims: 'INT', noop_with_empty_axes: 'INT' }
const one = (attrs: Record<string, AttrType> = {}): OpSchema => ({ inputs: [1, 1], outputs: [1, 1], attrs })
const two: OpSchema = { inputs: [2, 2], outputs: [1, 1], attrs: {} }
const variadic: OpSchema = { inputs: [1, Infinity], outputs: [1, 1], attrs: {} }

/** The ops of the IR, as opset 17 defines their operands and attributes. */
export const OP_SCHEMA: Readonly<Record<string, OpSchema>> = {
  Add: two, Sub: two, Mul: two, Div: two, Pow: two, Max: variadic, Min: variadic, Sum: variadic,
  Neg: one(), Exp: one(), Log: one(), Sqrt: one(), Abs: one(), Identity: one(), Sigmoid: one(), Tanh: one(), Relu: one(), Softplus: one(),
  LeakyRelu: one({ alpha: 'FLOAT' }), Elu: one({ alpha: 'FLOAT' }),
  Softmax: one({ axis: 'INT' }), LogSoftmax: one({ axis: 'INT' }), Flatten: one({ axis: 'INT' }), Transpose: one({ perm: 'INTS' }),
  Clip: { inputs: [1, 3], outputs: [1, 1], attrs: {} },
  MatMul: two,
  Gemm: { inputs: [2, 3], outputs: [1, 1], attrs: { alpha: 'FLOAT', beta: 'FLOAT', transA: 'INT', transB: 'INT' } },
  Reshape: { inputs: [2, 2], outputs: [1, 1], attrs: { allowzero: 'INT' } },
  Expand: two,
  Concat: { inputs: [1, Infinity], outputs: [1, 1], attrs: { axis: 'INT' } },
  Slice: { inputs: [3, 5], outputs: [1, 1], attrs: {} },
  Gather: { inputs: [2, 2], outputs: [1, 1], attrs: { axis: 'INT' } },
  Pad: { inputs: [2, 3], outputs: [1, 1], attrs: { mode: 'STRING' } },
  ReduceSum: { inputs: [1, 2], outputs: [1, 1], attrs: REDUCE },
  ReduceMean: one({ ...REDUCE, axes: 'INTS' }), ReduceMax: one({ ...REDUCE, axes: 'INTS' }),
  Conv: { inputs: [2, 3], outputs: [1, 1], attrs: { ...POOL, group: 'INT' } },
  MaxPool: { inputs: [1, 1], outputs: [1, 2], attrs: { ...POOL, storage_order: 'INT' } },
  // AveragePool gained dilations only in opset 19
  AveragePool: one({ auto_pad: 'STRING', ceil_mode: 'INT', kernel_shape: 'INTS', pads: 'INTS', strides: 'INTS', count_include_pad: 'INT' }),
  GlobalAveragePool: one(), GlobalMaxPool: one(),
  RNN: { inputs: [3, 6], outputs: [0, 2], attrs: RECURRENT },
  GRU: { inputs: [3, 6], outputs: [0, 2], attrs: { ...RECURRENT, linear_before_reset: 'INT' } },
  LSTM: { inputs: [3, 8], outputs: [0, 3], attrs: { ...RECURRENT, input_forget: 'INT' } },
  Dropout: { inputs: [1, 3], outputs: [1, 2], attrs: { seed: 'INT' } },
}

/**
 * Operands ONNX passes as tensors that are shapes, axes, bounds or indices: engines that build
 * their computation ahead of time need them as constants (initializers). Index = operand position.
 */
export const STATIC_INPUTS: Readonly<Record<string, readonly string[]>> = {
  Reshape: ['', 'shape'],
  Expand: ['', 'shape'],
  ReduceSum: ['', 'axes'],
  Slice: ['', 'starts', 'ends', 'axes', 'steps'],
  Clip: ['', 'min', 'max'],
  Pad: ['', 'pads', 'constant_value'],
  Dropout: ['', 'ratio', 'training_mode'],
  Gather: ['', 'indices'],
}

/** Static operands that are scalars: ONNX asks for shape [], and a one-element [1] is read the same way. */
export const SCALAR_OPERANDS: ReadonlySet<string> = new Set(['min', 'max', 'constant_value', 'ratio', 'training_mode'])

/** Static operands of a node read from the graph's initializers (scalars as numbers, with `<name>Shape`). */
export function staticOperands(graph: Graph, node: Node, fail: (msg: string) => never): Record<string, number[] | number> {
  const out: Record<string, number[] | number> = {}
  const keys = STATIC_INPUTS[node.op] ?? []
  node.inputs.forEach((name, k) => {
    const key = keys[k]
    if (!key || name === '') return
    const t = graph.initializers?.[name]
    if (!t) fail(`input ${k} ("${name}", ${key}) must be an initializer: it is a static operand`)
    const vals = Array.from(t!.data as ArrayLike<number | bigint>, Number)
    if (SCALAR_OPERANDS.has(key)) {
      if (vals.length !== 1 || t!.shape.length > 1) fail(`input ${k} ("${name}", ${key}) must be a scalar (shape [] or [1]), got shape [${t!.shape.join(',')}]`)
      out[key] = vals[0]!
    } else {
      out[key] = t!.shape.length === 0 ? vals[0]! : vals
    }
    out[`${key}Shape`] = [...t!.shape]
  })
  return out
}

/** Names of a node's runtime (non-static) inputs, '' for omitted optional ones. */
export const runtimeInputs = (node: Node): string[] => node.inputs.filter((_, k) => !STATIC_INPUTS[node.op]?.[k])
