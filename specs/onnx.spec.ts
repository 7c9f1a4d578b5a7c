// The ONNX project's backend node tests (not catalog claims: ids `onnx.<case>`), one claim per case:
// truth the project did not write. Cases come from fixtures/onnx-node/ (see its README for the source
// commit and which official cases are out, and why), or from the dirs given to `nnspec onnx`.
// Under vitest (`npm test`) a seeded sample of 40 runs; `npm run conformance` runs them all.
import { delimiter } from 'node:path'
import { Rng } from '../contract/rng.ts'
import { claim, settings, Unsupported } from '../harness/claim.ts'
import { OnnxUnsupported } from '../oracles/onnx_read.ts'
import { caseDirs, caseId, caseOps, NODE_FIXTURES, runCase } from '../harness/onnx_cases.ts'

const dirs = process.env['NNSPEC_ONNX_DIRS']?.split(delimiter).filter(Boolean) ?? [NODE_FIXTURES]
let cases = caseDirs(dirs)
if (process.env['VITEST'] && !process.env['NNSPEC_ONNX_DIRS']) {
  const rng = new Rng(settings().seed).fork('onnx-sample')
  cases = rng.shuffle([...cases]).slice(0, 40).sort()
}

for (const dir of cases) {
  const ops = caseOps(dir)
  claim(
    {
      id: caseId(dir), kind: 'exact', expect: 'confirmed', source: 'ONNX backend node tests', ops: ops instanceof Error ? [] : ops,
      quote: `ONNX backend test ${dir.split(/[\\/]/).pop()}`,
      reading: 'On every test_data_set of the case, each output of model.onnx agrees with the ONNX reference output (output_i.pb): floats under the tolerance policy in the lower of the engine’s and the case’s precision, widened by √K for K input elements per output element (a reduction’s length); integers exactly. Static operands fed as inputs (Reshape shape, Slice bounds, Clip limits…) are bound as initializers.',
    },
    async (ctx) => {
      // outside the IR: a skip naming why; a corrupt or truncated file: an error
      if (ops instanceof OnnxUnsupported) throw new Unsupported(ops.message)
      if (ops instanceof Error) throw ops
      const r = await runCase(ctx, dir)
      Object.assign(ctx.evidence, { dataSets: r.sets, outputsCompared: r.outputs, maxAbsError: Number(r.maxAbsError.toPrecision(3)), ops })
      return 'confirmed'
    },
  )
}
