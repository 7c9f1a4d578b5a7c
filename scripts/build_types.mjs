// The package's type declarations: contract/*.ts → types/*.d.ts, so that `import type { Engine } from
// 'nnspec'` type-checks in a user's project whatever its tsconfig (the sources import './x.ts', which
// TypeScript only accepts with allowImportingTsExtensions; the declarations import './x.js').
// Run by `prepare` (npm install in this repository, npm pack, a git-URL install).
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'types')
let tsc
try {
  tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc')
} catch {
  console.log('nnspec: typescript is not installed; type declarations not rebuilt')
  process.exit(0)
}
rmSync(out, { recursive: true, force: true })
execFileSync(process.execPath, [tsc, join(root, 'contract/index.ts'), '--declaration', '--emitDeclarationOnly', '--outDir', out, '--rootDir', join(root, 'contract'),
  '--target', 'ES2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--ignoreConfig', '--strict', '--allowImportingTsExtensions', '--skipLibCheck', '--types', ''], { stdio: 'inherit' })
for (const f of readdirSync(out)) {
  const p = join(out, f)
  writeFileSync(p, readFileSync(p, 'utf8').replace(/(from\s+'\.\/[\w.-]+)\.ts'/g, "$1.js'"))
}
console.log(`nnspec: built types/ (${readdirSync(out).length} declaration files)`)
