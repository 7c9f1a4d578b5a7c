// Bad input at the command line: each is one line naming the file, exit 2, no stack trace, and
// nothing is run or written.
import { nnspec as cli } from './cli.ts'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'

const tmp = mkdtempSync(join(tmpdir(), 'nnspec-cli-'))
const file = (name: string, text: string) => {
  const p = join(tmp, name)
  writeFileSync(p, text)
  return p
}
writeFileSync(join(tmp, 'package.json'), '{"type":"module"}')

const nnspec = (args: string[]) => cli(['run', '--report', join(tmp, 'reports'), ...args], 60_000)

const CASES: [string, () => string[], RegExp][] = [
  ['a missing baseline', () => ['--engine', 'reference', '--baseline', join(tmp, 'nope.json')], /^nnspec: baseline \S+nope\.json not found$/],
  ['a baseline that is not JSON', () => ['--engine', 'reference', '--baseline', file('bad.json', '{"records": [')], /^nnspec: baseline \S+bad\.json is not valid JSON: /],
  ['a baseline that is not a report', () => ['--engine', 'reference', '--baseline', file('other.json', '{"a": 1}')], /^nnspec: baseline \S+other\.json is not a conformance report/],
  ['an expectations line without a reason', () => ['--engine', 'specs/_meta/misbehaving/exits.ts', '--expectations', file('exits.txt', 'activation.elu-shape fail\n')], /^nnspec: \S*exits\.txt:1: expected "<claim-id>\[<parts>\] skip\|fail <reason>", got "activation\.elu-shape fail"$/],
  ['a claims glob that matches nothing', () => ['--engine', 'reference', '--claims', 'no.such.*'], /^nnspec: no claim matches "no\.such\.\*"/],
  ['a report directory that cannot be written', () => ['--engine', 'reference', '--report', join(file('plain-file', 'x'), 'sub')], /^nnspec: cannot write reports to \S+plain-file\/sub: ENOTDIR$/],
  ['an engine module with a syntax error', () => ['--engine', file('broken.ts', "export default {\n  name: 'x',,\n}\n")], /^nnspec: engine module \S+broken\.ts does not parse: .*broken\.ts:2:\d+: ERROR: Expected identifier/],
  // the modules are probed in one process: one that exits it at import is not a syntax error, and the next is still probed
  ['a syntax error in a module named after one that exits at import', () => ['--engine', `specs/_meta/misbehaving/exits_at_import.ts,${file('broken2.ts', 'export default {,}\n')}`], /^nnspec: engine module \S+broken2\.ts does not parse: /],
  // …nor one that leaves a rejection behind, which kills the probe only while the next module loads
  ['a syntax error in a module named after one that leaves an unhandled rejection', () => ['--engine', `${file('rejects.ts', "void Promise.reject(new Error('left behind'))\nexport default {}\n")},${file('broken3.ts', 'export default {,}\n')}`], /^nnspec: engine module \S+broken3\.ts does not parse: /],
  ['an engine module that does not exist', () => ['--engine', join(tmp, 'missing.ts')], /^nnspec: engine module \S+missing\.ts not found/],
]

for (const [what, args, says] of CASES) {
  test.concurrent(`${what}: one line naming the file, exit 2`, async () => {
    const r = await nnspec(args())
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1)
    expect(r.stderr.trim()).toMatch(says)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })
}
