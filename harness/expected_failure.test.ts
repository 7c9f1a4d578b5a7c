// Expectations per part: only the listed parts may fail; an unlisted failing part fails the run, a
// listed part that passes is stale, and a claim made of parts cannot be excused whole.
import { expect, test } from 'vitest'
import { expectedFailure, type ClaimRecord } from './claim.ts'
import type { Expectation } from './expectations.ts'

const rec = { id: 'backprop.chain-rule', engine: 'e' } as ClaimRecord
const entry = (parts?: string[]): Expectation => ({ pattern: rec.id, action: 'fail', ...(parts ? { parts } : {}), reason: 'known', where: 'e.txt:1' })
const ran = (checked: string[], failed: string[]) => ({ checked: new Set(checked), failed: new Set(failed) })

test('exactly the listed parts fail: xfail', () => {
  expect(expectedFailure(rec, entry(['Max', 'Min']), false, ran(['Max', 'Min', 'Relu'], ['Max', 'Min']), 'm').status).toBe('xfail')
})
test('a part that fails without being listed fails the run', () => {
  const r = expectedFailure(rec, entry(['Max']), false, ran(['Max', 'Relu'], ['Max', 'Relu']), 'm')
  expect(r.status).toBe('fail')
  expect(r.message).toMatch(/parts Relu fail but are not listed at e\.txt:1/)
})
test('a listed part that passes (or is not checked any more) is stale', () => {
  expect(expectedFailure(rec, entry(['Max', 'Min']), false, ran(['Max', 'Min'], ['Max']), 'm')).toMatchObject({ status: 'stale', message: expect.stringMatching(/listed parts Min now pass/) })
  expect(expectedFailure(rec, entry(['Max', 'Gone']), false, ran(['Max'], ['Max']), 'm').message).toMatch(/Gone were not checked/)
})
test('a claim made of parts cannot be listed whole', () => {
  expect(expectedFailure(rec, entry(), false, ran(['Max'], ['Max']), 'm')).toMatchObject({ status: 'fail', message: expect.stringMatching(/names no parts.*backprop\.chain-rule\[Max\]/) })
})
test('a refutation outside the listed parts fails', () => {
  expect(expectedFailure(rec, entry(['Max']), false, ran(['Max'], []), 'm').status).toBe('fail')
})
test('whole-claim entries of claims without parts keep their meaning', () => {
  expect(expectedFailure(rec, entry(), false, ran([], []), 'm').status).toBe('xfail')
  expect(expectedFailure(rec, entry(), true, ran([], []), undefined).status).toBe('stale')
})
