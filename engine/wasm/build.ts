// Assembles the WebAssembly kernels from their WAT source with wabt (an npm dependency, so a fresh
// `npm install` needs no other download). `npm install` runs this file (the `prepare` script) to
// write engine/wasm/*.wasm; the loader also calls watToWasm itself when a binary is missing or older
// than its source, so an edited kernel is never run stale.
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const WASM_DIR = dirname(fileURLToPath(import.meta.url))
export const KERNELS = ['gemm', 'elementwise'] as const

export async function watToWasm(watPath: string): Promise<Uint8Array> {
  const wabt = await (await import('wabt')).default()
  const module = wabt.parseWat(basename(watPath), readFileSync(watPath, 'utf8'), { simd: true })
  try {
    module.validate()
    return module.toBinary({}).buffer
  } finally {
    module.destroy()
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const k of KERNELS) {
    const bytes = await watToWasm(join(WASM_DIR, `${k}.wat`))
    const out = join(WASM_DIR, `${k}.wasm`)
    writeFileSync(`${out}.${process.pid}.tmp`, bytes) // then rename: an interrupted install leaves no half-written kernel
    renameSync(`${out}.${process.pid}.tmp`, out)
    console.log(`nnspec: built engine/wasm/${k}.wasm (${bytes.length} bytes)`)
  }
}
