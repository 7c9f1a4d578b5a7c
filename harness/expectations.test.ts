import { expect, test } from 'vitest'
import { expectationOf, parseExpectations } from './expectations.ts'

test('entries with globs and reasons; comments ignored', () => {
  const list = parseExpectations('# c\nbackprop.* fail tfjs drops second derivatives\nrnn.gated-cells-match-onnx skip no LSTM\n', 'x.txt')
  expect(expectationOf(list, 'backprop.second-order')?.action).toBe('fail')
  expect(expectationOf(list, 'rnn.gated-cells-match-onnx')?.reason).toBe('no LSTM')
  expect(expectationOf(list, 'loss.mse-for-regression')).toBeUndefined()
})

test('a fail entry can name the parts that may fail', () => {
  const [e] = parseExpectations('ops.conventions[ReduceMax tie, Max tie] fail ties get the full gradient\n', 'x.txt')
  expect(e).toMatchObject({ pattern: 'ops.conventions', action: 'fail', parts: ['ReduceMax tie', 'Max tie'] })
})

test('a line without a reason, or parts on a skip, is an error naming file and line', () => {
  expect(() => parseExpectations('ok.id skip fine\nbad.id skip\n', 'ci/expectations/e.txt')).toThrow(/ci\/expectations\/e\.txt:2: expected "<claim-id>\[<parts>\] skip\|fail <reason>"/)
  expect(() => parseExpectations('a.b[x] skip no\n', 'e.txt')).toThrow(/e\.txt:1: parts are named only on a fail entry/)
})
