// Partial engines get every check they can take: an engine with only seven ops (no Mul, ReduceSum,
// Slice…) still has each of them checked forward, by the chain rule and in random graphs, with the
// scaffolding written with its own ops (harness/scalarize.ts); and those checks still catch a broken op.
import { nnspec } from './cli.ts'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { SEVEN } from './partial/seven_ops.ts'

interface Rec {
  id: string
  engine: string
  status: string
  verdict?: string
  evidence: Record<string, unknown>
}

const ENGINE = 'specs/_meta/partial/seven_ops.ts'

async function run(engines: string, claims: string): Promise<{ code: number; out: string; recs: Rec[]; md: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'nnspec-partial-'))
  const r = await nnspec(['run', '--engine', engines, '--claims', claims, '--report', dir], 240_000)
  return {
    ...r,
    recs: (JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as { records: Rec[] }).records,
    md: readFileSync(join(dir, 'conformance.md'), 'utf8'),
  }
}

test('an engine with only Gemm, Conv, MaxPool, Relu, Sigmoid, Tanh and Softmax gets exactly those ops checked', async () => {
  const r = await run(ENGINE, 'backprop.chain-rule,ops.*')
  expect(r.code, r.out).toBe(0)
  const at = (id: string) => r.recs.find((x) => x.id === id)!
  const chain = at('backprop.chain-rule')
  expect(chain.status).toBe('pass')
  expect(Object.keys(chain.evidence['worstErrorOverToleranceByOp'] as object).sort()).toEqual([...SEVEN].sort())
  expect(chain.evidence['scaffolding']).toBeDefined() // Σ r ⊙ y written with Gemm or Conv
  const perOp = r.recs.filter((x) => /^ops\.[A-Z]/.test(x.id))
  expect(perOp.filter((x) => x.status === 'pass').map((x) => x.id.slice(4)).sort()).toEqual([...SEVEN].sort())
  expect(perOp.filter((x) => x.status !== 'pass').every((x) => x.status === 'skip')).toBe(true)
  const drawn = String(at('ops.differential').evidence['opsDrawnFrom']).split(', ')
  expect(at('ops.differential').status).toBe('pass')
  expect(drawn.length).toBeGreaterThanOrEqual(4)
  expect(drawn.every((op) => SEVEN.includes(op))).toBe(true)
  expect(at('ops.conventions').status).toBe('pass') // Relu'(0), the one kink it has
  expect(r.md).toMatch(new RegExp(`\\| seven_ops\\.ts .*\\| ${SEVEN.length} of ${perOp.length} \\|`))
}, 240_000)

test('the checks written with six of the seven ops still catch the seventh broken', async () => {
  const r = await run(`${ENGINE}#grad-Relu,${ENGINE}#forward-Softmax`, 'backprop.chain-rule,ops.Softmax,activation.relu-gradient')
  expect(r.code, r.out).toBe(1)
  const at = (id: string, variant: string) => r.recs.find((x) => x.id === id && x.engine.endsWith(variant))!
  expect(at('backprop.chain-rule', '#grad-Relu').status).toBe('fail')
  expect(at('backprop.chain-rule', '#grad-Relu').evidence['failingOps']).toEqual(['Relu'])
  expect(at('activation.relu-gradient', '#grad-Relu').status).toBe('fail')
  expect(at('ops.Softmax', '#forward-Softmax').status).toBe('fail')
  expect(at('backprop.chain-rule', '#forward-Softmax').evidence['failingOps']).toEqual(['Softmax'])
}, 240_000)
