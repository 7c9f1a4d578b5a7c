// Broken on purpose: Gemm ignores transB, so B is used untransposed.
// Must be caught by backprop.chain-rule (Gemm cases with transB = 1), naming Gemm.
import { createReferenceEngine } from '../../../engine/index.ts'
import { Gemm } from '../../../engine/ops/matmul.ts'

export default createReferenceEngine('float32', [{ ...Gemm, forward: (ins, attrs) => Gemm.forward(ins, { ...attrs, transB: 0 }) }], 'broken: gemm transB')
