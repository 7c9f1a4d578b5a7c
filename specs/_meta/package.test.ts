// nnspec as another project's dev dependency, tried as a new user would: pack the package, install
// the tarball into an empty project (without the optional TensorFlow.js and ONNX Runtime), write the
// minimal adapter of docs/adapters.md there verbatim, run `npx nnspec run --engine ./adapter.ts`, and
// type-check the adapter against the package's types. The report must land in that project.
import { runCommand, type Ran } from './cli.ts'
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { ROOT } from '../../harness/runner/selection.ts'

function sh(cmd: string, args: string[], cwd: string, timeout = 240_000): Promise<Ran> {
  // npm_* variables of the outer `npm test` would point the inner npm at this repository
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|VITEST|INIT_CWD)/i.test(k)))
  return runCommand(cmd, args, { cwd, timeout, env })
}

/** The code block of docs/adapters.md tagged `ts adapter.ts`. */
function documentedAdapter(): string {
  const m = /```ts adapter\.ts\n([\s\S]*?)```/.exec(readFileSync(join(ROOT, 'docs/adapters.md'), 'utf8'))
  if (!m) throw new Error('docs/adapters.md has no ```ts adapter.ts block')
  return m[1]!
}

test('packed, installed into an empty project without optional dependencies, the documented adapter runs and type-checks', async () => {
  const work = mkdtempSync(join(tmpdir(), 'nnspec-package-'))
  const packed = await sh('npm', ['pack', '--pack-destination', work], ROOT)
  expect(packed.code, packed.out).toBe(0)
  const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'))!
  const project = join(work, 'my-engine')
  await sh('mkdir', ['-p', project], work)
  expect((await sh('npm', ['init', '-y'], project)).code).toBe(0)
  const installed = await sh('npm', ['install', '--save-dev', join(work, tgz), '--omit=optional', '--no-audit', '--no-fund', '--prefer-offline'], project)
  expect(installed.code, installed.out).toBe(0)
  expect(existsSync(join(project, 'node_modules/onnxruntime-node')), 'the optional ONNX Runtime was installed').toBe(false)
  writeFileSync(join(project, 'adapter.ts'), documentedAdapter())

  const run = await sh('npx', ['nnspec', 'run', '--engine', './adapter.ts'], project)
  expect(run.code, run.out).toBe(0)
  const report = JSON.parse(readFileSync(join(project, 'reports/conformance.json'), 'utf8')) as { records: { id: string; status: string; reason?: string }[] }
  const at = (id: string) => report.records.find((r) => r.id === id)
  for (const op of ['Relu', 'Sigmoid', 'Tanh', 'Neg', 'Exp', 'Abs']) expect(at(`ops.${op}`)?.status, `ops.${op}`).toBe('pass')
  expect(at('ops.differential')?.status).toBe('pass')
  expect(at('ops.Gemm')?.reason).toMatch(/tiny has no Gemm/)
  expect(at('backprop.chain-rule')?.reason).toMatch(/no op could be checked: .*no way to sum the outputs into a scalar/)
  expect(existsSync(join(project, 'reports/conformance.html'))).toBe(true)

  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: true }, files: ['adapter.ts'] }))
  const tsc = await sh(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], project)
  expect(tsc.code, tsc.out).toBe(0)
}, 600_000)
