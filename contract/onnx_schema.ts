// Facts about ONNX opset 17 that every engine adapter needs, in one place.
import type { Graph, Node } from './types.ts'

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
    out[key] = t!.shape.length === 0 ? vals[0]! : vals
    out[`${key}Shape`] = [...t!.shape]
  })
  return out
}

/** Names of a node's runtime (non-static) inputs, '' for omitted optional ones. */
export const runtimeInputs = (node: Node): string[] => node.inputs.filter((_, k) => !STATIC_INPUTS[node.op]?.[k])
