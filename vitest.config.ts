import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['engine/**/*.test.ts', 'oracles/**/*.test.ts', 'harness/**/*.test.ts', 'specs/**/*.spec.ts', 'specs/_meta/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
