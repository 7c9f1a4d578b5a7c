import { expect, test } from 'vitest'
import { expectationOf, parseExpectations } from './expectations.ts'

test('entries with globs and reasons; comments ignored', () => {
  const list = parseExpectations('# c\nbackprop.* fail tfjs drops second derivatives\nrnn.gated-cells-match-onnx skip no LSTM\n', 'x.txt')
  expect(expectationOf(list, 'backprop.second-order')?.action).toBe('fail')
  expect(expectationOf(list, 'rnn.gated-cells-match-onnx')?.reason).toBe('no LSTM')
  expect(expectationOf(list, 'loss.mse-for-regression')).toBeUndefined()
})

test('a line without a reason is an error naming file and line', () => {
  expect(() => parseExpectations('ok.id skip fine\nbad.id skip\n', 'ci/expectations/e.txt')).toThrow(/ci\/expectations\/e\.txt:2: expected "<claim-id> skip\|fail <reason>"/)
})
