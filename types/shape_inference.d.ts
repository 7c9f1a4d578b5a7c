export type Dim = number | string;
export type Shape = Dim[];
/** Multidirectional (numpy) broadcasting. */
export declare function broadcast(...shapes: Shape[]): Shape;
/** Output shapes of one node (undefined where unknown); `inputs` has undefined for omitted optional operands. Throws when the operands do not fit the op. */
export declare function inferNode(op: string, inputs: (Shape | undefined)[], attrs: Record<string, unknown>, outputs: number): (Shape | undefined)[];
