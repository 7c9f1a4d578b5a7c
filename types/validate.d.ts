import type { DType, Graph, Node } from './types.js';
import { type Dim, type Shape } from './shape_inference.js';
export type { Dim, Shape };
export declare class GraphValidationError extends Error {
    name: string;
}
export interface ValueInfo {
    dtype: DType;
    /** undefined where the op's output shape depends on values, or an input's shape is unknown */
    shape?: Shape;
}
export declare const nodeLabel: (node: Node, i: number) => string;
export interface ValidateOptions {
    /** concrete shapes for (some) graph inputs, e.g. the feeds of one run: symbolic dims get their sizes */
    feeds?: Record<string, {
        shape: number[];
    }>;
}
/** Check the graph; returns the dtype and (where defined) the shape of every value. Throws GraphValidationError. */
export declare function validateGraph(graph: Graph, o?: ValidateOptions): Map<string, ValueInfo>;
