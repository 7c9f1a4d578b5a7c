// The soundness test: every executed claim has a broken engine under which its own verdict differs
// from the expected one (specs/_meta/soundness.ts lists them; each listed pair runs here and must
// fail), and the all-zero-gradient engine and the no-op optimizer pass no claim that uses gradients
// or an optimizer. The full cross product is `npm run soundness` (its matrix is in the README).
import { nnspec } from './cli.ts'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { enginePath, FLIPS, MESSAGES, ONNX_UNFLIPPABLE } from './soundness.ts'

interface Rec {
  id: string
  engine: string
  status: string
  verdict?: string
  message?: string
  engineCalls?: Record<string, number>
}

const cli = (args: string[]) => nnspec(args, 600_000)
/** specs/_meta/broken/X.ts as all.ts#X: run so, the hand-written broken engines share worker processes (see all.ts). */
const shared = (engine: string) => engine.replace(/^specs\/_meta\/broken\/(\w+)\.ts$/, 'specs/_meta/broken/all.ts#$1')

test('every executed claim is flipped by a broken engine; zero gradients and a no-op optimizer pass nothing that uses them', async () => {
  const listed = JSON.parse((await cli(['list', '--json'])).out) as { id: string; expect: string; needs?: string[] }[]
  // an ONNX case a broken reference cannot flip (soundness.ts says why) is checked on the other engines
  const executed = listed.filter((c) => c.expect !== 'informational' && !(c.id in ONNX_UNFLIPPABLE))
  console.log(`ONNX cases no broken reference can flip:\n${Object.entries(ONNX_UNFLIPPABLE).map(([id, why]) => `  ${id}: ${why}`).join('\n')}`)
  const flipped = new Map<string, string[]>()
  for (const [engine, ids] of Object.entries(FLIPS)) for (const id of ids) flipped.set(id, [...(flipped.get(id) ?? []), engine.replace(/^.*\//, '')])
  const matrix = executed.map((c) => `${c.id.padEnd(42)} ${flipped.get(c.id)?.join(', ') ?? '— NONE'}`)
  console.log(`soundness matrix (claim → broken engines that flip it, run here):\n${matrix.join('\n')}`)
  expect(executed.filter((c) => !flipped.has(c.id)).map((c) => c.id), 'executed claims no broken engine flips').toEqual([])

  const zero = shared(enginePath('zero_gradients'))
  const noop = shared(enginePath('optimizer_noop'))
  const pairs = [
    ...Object.entries(FLIPS).flatMap(([engine, ids]) => ids.map((claim) => ({ claim, engine: shared(engine) }))),
    ...executed.filter((c) => c.needs?.includes('grad') || c.needs?.includes('hvp')).map((c) => ({ claim: c.id, engine: zero })),
    ...executed.filter((c) => c.needs?.includes('optimizer')).map((c) => ({ claim: c.id, engine: noop })),
  ]
  const unique = [...new Map(pairs.map((p) => [`${p.claim}@${p.engine}`, p])).values()]
  const dir = mkdtempSync(join(tmpdir(), 'nnspec-soundness-'))
  writeFileSync(join(dir, 'pairs.json'), JSON.stringify(unique))
  const run = await cli(['run', '--pairs', join(dir, 'pairs.json'), '--report', dir, '--quick'])
  const { records } = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as { records: Rec[] }
  const at = (id: string, engine: string) => records.find((r) => r.id === id && r.engine.endsWith(shared(engine).replace(/^specs\/_meta\/broken\//, '')))
  const notFlipped = Object.entries(FLIPS).flatMap(([engine, ids]) => ids.filter((id) => at(id, engine)?.status !== 'fail').map((id) => `${id} @ ${engine}: ${at(id, engine)?.status} ${at(id, engine)?.message ?? ''}`.slice(0, 400)))
  expect(notFlipped, run.out.slice(-3000)).toEqual([])
  // the hand-written broken engines are named in the one message pattern, with a replay command
  for (const [engine, id, says] of MESSAGES) {
    const rec = at(id, enginePath(engine))
    expect(rec?.message, `${engine} on ${id}`).toMatch(says)
    expect(rec?.message, engine).toMatch(new RegExp(`replay: npx nnspec run --engine specs/_meta/broken/all\\.ts#${engine} --claims ${id.replace(/\./g, '\\.')} --seed \\d+`))
  }
  // and nothing that touched gradients (or the optimizer) passes on the engines that break them
  const passedAnyway = records.filter((r) => r.status === 'pass' && ((r.engine.endsWith('#zero_gradients') && (r.engineCalls?.['valueAndGrad'] ?? 0) + (r.engineCalls?.['hessianVectorProduct'] ?? 0) > 0) || (r.engine.endsWith('#optimizer_noop') && (r.engineCalls?.['optimizer.step'] ?? 0) > 0)))
  expect(passedAnyway.map((r) => `${r.id} @ ${r.engine}`)).toEqual([])
}, 600_000)
