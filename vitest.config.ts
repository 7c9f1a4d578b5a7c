import { defineConfig } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

// The longest files start first. Vitest orders by its cached timings, but a fresh clone (CI) has
// none and ran them in glob order, the soundness and isolation tests last: a 20 s longer tail.
const LONGEST = ['specs/_meta/soundness.test.ts', 'specs/_meta/isolation.test.ts', 'specs/_meta/package.test.ts', 'specs/_meta/report_page.test.ts', 'specs/_meta/shards.test.ts', 'specs/autoencoder.spec.ts', 'specs/regularization.spec.ts', 'specs/capacity.spec.ts', 'specs/depth.spec.ts', 'specs/gan.spec.ts', 'specs/cnn.spec.ts', 'specs/init.spec.ts']
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => LONGEST.findIndex((p) => f.moduleId.endsWith(p)) >>> 0 // not listed: after all listed
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b))
  }
}

export default defineConfig({
  test: {
    include: ['contract/**/*.test.ts', 'engine/**/*.test.ts', 'oracles/**/*.test.ts', 'harness/**/*.test.ts', 'specs/**/*.spec.ts', 'specs/_meta/**/*.test.ts', 'bench/**/*.test.ts'],
    // `npm test` also writes reports/conformance.*; a partial `npx vitest run specs/x` must not replace a full report
    reporters: process.env['npm_lifecycle_event'] === 'test' ? ['default', './harness/report/reporter.ts'] : ['default'],
    // vitest's default is one worker fewer than the cores: on a 2-core machine that is a single worker
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
