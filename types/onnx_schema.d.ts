import type { Graph, Node } from './types.js';
export type AttrType = 'FLOAT' | 'INT' | 'STRING' | 'FLOATS' | 'INTS' | 'STRINGS';
export interface OpSchema {
    /** [min, max] operands (max Infinity: variadic); an omitted optional operand is '' */
    inputs: [number, number];
    outputs: [number, number];
    attrs: Record<string, AttrType>;
}
/** The ops of the IR, as opset 17 defines their operands and attributes. */
export declare const OP_SCHEMA: Readonly<Record<string, OpSchema>>;
/**
 * Operands ONNX passes as tensors that are shapes, axes, bounds or indices: engines that build
 * their computation ahead of time need them as constants (initializers). Index = operand position.
 */
export declare const STATIC_INPUTS: Readonly<Record<string, readonly string[]>>;
/** Static operands that are scalars: ONNX asks for shape [], and a one-element [1] is read the same way. */
export declare const SCALAR_OPERANDS: ReadonlySet<string>;
/** Static operands of a node read from the graph's initializers (scalars as numbers, with `<name>Shape`). */
export declare function staticOperands(graph: Graph, node: Node, fail: (msg: string) => never): Record<string, number[] | number>;
/** Names of a node's runtime (non-static) inputs, '' for omitted optional ones. */
export declare const runtimeInputs: (node: Node) => string[];
