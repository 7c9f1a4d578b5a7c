// Layers point one way: contract ← engine, oracles ← harness ← specs, bench, CLI. The contract imports
// nothing of the project; the engine and the oracles import only the contract (and themselves).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { expect, test } from 'vitest'

const ROOT = resolve(import.meta.dirname, '..')
const files = (dir: string): string[] =>
  readdirSync(join(ROOT, dir)).flatMap((f) => {
    const p = join(ROOT, dir, f)
    return statSync(p).isDirectory() ? files(relative(ROOT, p)) : /\.ts$/.test(f) && !/\.test\.ts$/.test(f) ? [p] : []
  })
const imports = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)].map((m) => relative(ROOT, resolve(file, '..', m[1]!)).split('/')[0]!)

// ci/engines (third-party adapters) may share the oracles' ONNX writer and runtime adapter
const ALLOWED: Record<string, string[]> = { contract: ['contract'], engine: ['contract', 'engine'], oracles: ['contract', 'oracles'], 'ci/engines': ['contract', 'oracles', 'ci'] }

for (const [layer, allowed] of Object.entries(ALLOWED)) {
  test(`${layer}/ imports only ${allowed.join(' and ')}`, () => {
    const bad = files(layer).flatMap((f) => imports(f).filter((top) => !allowed.includes(top)).map((top) => `${relative(ROOT, f)} → ${top}/`))
    expect(bad).toEqual([])
  })
}
