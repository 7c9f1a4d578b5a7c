// A claim id names one claim: a runner worker imports the spec file that registered an id, so an id
// registered twice (by two files, or twice in one) is an error at registration, naming the id.
// (register() directly: claim() and informational() would also declare vitest tests, whose records
// npm test's reporter writes into the conformance report.)
import { expect, test } from 'vitest'
import { register, registry } from './claim.ts'

test('an id registered twice is an error naming it', () => {
  const meta = { id: 'registry-test.same-id', kind: 'informational', expect: 'informational', source: '000', quote: 'q', reading: 'r' } as unknown as Parameters<typeof register>[0]
  register(meta)
  expect(() => register({ ...meta })).toThrow(/claim id "registry-test\.same-id" is registered twice/)
  expect(registry.filter((m) => m.id === meta.id)).toHaveLength(1)
})
