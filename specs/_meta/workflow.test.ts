// The CI workflow is valid: it parses, its matrix shards every built-in engine, each shard runs its part
// with --shard i/n, and a merge job merges them all and gates on the stored baseline.
import { existsSync, readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { parse } from 'yaml'
import { BUILTIN_ENGINES } from '../../harness/engines.ts'

interface Job {
  needs?: string | string[]
  strategy?: { matrix: Record<string, (string | number)[]> }
  steps: { run?: string; uses?: string; with?: Record<string, string> }[]
}

test('.github/workflows/conformance.yml: a shard matrix per engine, a merge job gating on the baseline', () => {
  const wf = parse(readFileSync('.github/workflows/conformance.yml', 'utf8')) as { jobs: Record<string, Job> }
  const shard = wf.jobs['shard']!
  const merge = wf.jobs['merge']!
  const m = shard.strategy!.matrix
  expect([...m['engine']!].sort()).toEqual([...BUILTIN_ENGINES].sort())
  const n = m['shard']!.length
  expect(m['shard']).toEqual(Array.from({ length: n }, (_, i) => i + 1))
  const runs = shard.steps.map((s) => s.run ?? '').join('\n')
  expect(runs).toMatch(new RegExp(`nnspec run --engine \\$\\{\\{ matrix\\.engine \\}\\} --shard \\$\\{\\{ matrix\\.shard \\}\\}/${n} `))
  expect(shard.steps.some((s) => s.uses?.startsWith('actions/upload-artifact'))).toBe(true)
  expect([merge.needs].flat()).toContain('shard')
  const mergeRun = merge.steps.map((s) => s.run ?? '').join('\n')
  expect(mergeRun).toMatch(/nnspec report --merge shards\/\*\/conformance\.json .*--baseline ci\/baseline\/conformance\.json/)
  expect(merge.steps.some((s) => s.uses?.startsWith('actions/upload-artifact'))).toBe(true)
  const baseline = JSON.parse(readFileSync('ci/baseline/conformance.json', 'utf8')) as { records: { id: string; engine: string }[] }
  expect(new Set(baseline.records.map((r) => r.engine))).toEqual(new Set(BUILTIN_ENGINES))
  expect(existsSync('harness/runner/costs.json')).toBe(true)
})
