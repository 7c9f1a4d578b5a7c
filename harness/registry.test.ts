// A claim id names one claim: a runner worker imports the spec file that registered an id, so an id
// registered twice (by two files, or twice in one) is an error at registration, naming the id.
import { expect, test } from 'vitest'
import { informational, registry } from './claim.ts'

const meta = { id: 'registry-test.same-id', kind: 'informational', expect: 'informational', source: '000', quote: 'q', reading: 'r' } as unknown as Parameters<typeof informational>[0]

informational(meta) // at the top level: in vitest, registering also declares the claim's tests

test('an id registered twice is an error naming it', () => {
  expect(() => informational({ ...meta })).toThrow(/claim id "registry-test\.same-id" is registered twice/)
  expect(registry.filter((m) => m.id === meta.id)).toHaveLength(1)
})
