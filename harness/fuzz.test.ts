// A seeded sample of the fuzzing (the full 10,000 per engine: `npm run fuzz`): malformed graphs and
// feeds on both reference engines end in a result of the right shapes or an error naming the node,
// input or graph, never an unnamed error, a wrong shape or a hang.
import { expect, test } from 'vitest'
import { createReferenceEngine } from '../engine/index.ts'
import { MUTATION_KINDS, malformedCase } from './arbitraries/malformed.ts'
import { fuzz } from './fuzz.ts'

for (const dtype of ['float32', 'float64'] as const) {
  test(`400 malformed graphs on the ${dtype} reference engine: no finding`, async () => {
    const s = await fuzz(createReferenceEngine(dtype), 400, 7_000)
    expect(s.findings, JSON.stringify(s.findings.slice(0, 5), null, 1)).toEqual([])
    expect(s.errors).toBeGreaterThan(200) // most mutations must be refused…
    expect(s.results).toBeGreaterThan(10) // …but not all: huge values and some dropped operands are valid
  })
}

test('every mutation kind is drawn', () => {
  const seen = new Set(Array.from({ length: 400 }, (_, k) => malformedCase(7_000 + k, 'float32').mutation.split(':')[0]))
  for (const kind of MUTATION_KINDS) expect(seen).toContain(kind)
})
