// Every upstream bug kept in ci/findings/ still reproduces (its script exits 1), is listed in the
// findings table, and every expectation line that cites a script cites one that exists. A script that
// exits 0 means the bug is fixed upstream: the expectation that hides it must go (it would also be
// reported stale by `nnspec run`, but only when that engine runs).
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../harness/runner/selection.ts'

const DIR = join(ROOT, 'ci/findings')
const scripts = readdirSync(DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(join(DIR, d.name)).filter((f) => f.endsWith('.mjs') && !f.startsWith('_')).map((f) => `${d.name}/${f}`))
const citations = readdirSync(join(ROOT, 'ci/expectations'))
  .filter((f) => f.endsWith('.txt'))
  .flatMap((f) => [...readFileSync(join(ROOT, 'ci/expectations', f), 'utf8').matchAll(/ci\/findings\/([\w./-]+\.mjs)/g)].map((m) => ({ file: f, script: m[1]! })))

describe('ci/findings', () => {
  it('lists every script in its README and every cited script exists', () => {
    const table = readFileSync(join(DIR, 'README.md'), 'utf8')
    expect(scripts.filter((s) => !table.includes(`](${s})`)), 'scripts missing from ci/findings/README.md').toEqual([])
    expect(citations.filter((c) => !existsSync(join(DIR, c.script))), 'expectation lines citing a missing script').toEqual([])
    expect(scripts.length).toBeGreaterThan(0)
  })

  it.each(scripts)('%s still reproduces (exits 1)', async (script) => {
    const run = promisify(execFile)
    const file = join(DIR, script)
    const result = await run(process.execPath, [file], { cwd: ROOT, timeout: 60_000 }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
    )
    const cited = citations.filter((c) => c.script === script).map((c) => `ci/expectations/${c.file}`)
    const fixed = `${relative(ROOT, file)} exits 0: the bug is fixed upstream; remove it from ci/findings/README.md and its expectation lines (${cited.join(', ') || 'none cite it'})`
    expect(result.code, result.code === 0 ? fixed : `${relative(ROOT, file)} crashed (exit ${result.code}):\n${result.out}`).toBe(1)
  })
})
