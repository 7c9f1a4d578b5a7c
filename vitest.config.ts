import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['engine/**/*.test.ts', 'oracles/**/*.test.ts', 'harness/**/*.test.ts', 'specs/**/*.spec.ts', 'specs/_meta/**/*.test.ts', 'bench/**/*.test.ts'],
    // the conformance reporter also runs under `npm test`, so CI leaves reports/conformance.* behind
    reporters: ['default', './harness/report/reporter.ts'],
    // vitest's default is one worker fewer than the cores: on a 2-core machine that is a single worker
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
