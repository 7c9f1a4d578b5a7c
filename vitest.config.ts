import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['contract/**/*.test.ts', 'engine/**/*.test.ts', 'oracles/**/*.test.ts', 'harness/**/*.test.ts', 'specs/**/*.spec.ts', 'specs/_meta/**/*.test.ts', 'bench/**/*.test.ts'],
    // `npm test` also writes reports/conformance.*; a partial `npx vitest run specs/x` must not replace a full report
    reporters: process.env['npm_lifecycle_event'] === 'test' ? ['default', './harness/report/reporter.ts'] : ['default'],
    // vitest's default is one worker fewer than the cores: on a 2-core machine that is a single worker
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
