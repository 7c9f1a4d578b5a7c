export * from './types.js';
export * from './onnx_schema.js';
export * from './rng.js';
export * from './validate.js';
export { broadcast, inferNode } from './shape_inference.js';
