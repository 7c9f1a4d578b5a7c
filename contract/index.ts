// The package's face: `import type { Engine, Graph } from 'nnspec'`. Everything an adapter needs
// (the contract types, the ONNX facts, the seeded RNG, graph validation) and nothing else: this
// directory imports nothing from engine/, oracles/, harness/ or ci/.
export * from './types.ts'
export * from './onnx_schema.ts'
export * from './rng.ts'
export * from './validate.ts'
export { broadcast, inferNode } from './shape_inference.ts'
