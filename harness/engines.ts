// Built-in engines by name, and any module path that default-exports an Engine (or a factory of one).
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Engine } from '../contract/types.ts'

export const BUILTIN_ENGINES = ['reference', 'reference-f64', 'tfjs-cpu', 'tfjs-wasm', 'onnxruntime'] as const

const builtins: Record<string, () => Promise<Engine>> = {
  reference: async () => (await import('../engine/index.ts')).createReferenceEngine('float32'),
  'reference-f64': async () => (await import('../engine/index.ts')).createReferenceEngine('float64'),
  'tfjs-cpu': async () => (await import('../oracles/tfjs.ts')).createTfjsEngine('cpu'),
  'tfjs-wasm': async () => (await import('../oracles/tfjs.ts')).createTfjsEngine('wasm'),
  onnxruntime: async () => (await import('../oracles/onnxruntime.ts')).createOnnxRuntimeEngine(),
}

export const isBuiltin = (name: string): boolean => name in builtins

/** Absolute path of an engine module named on the command line; throws naming the file if absent. */
export function resolveEnginePath(arg: string): string {
  const path = resolve(process.cwd(), arg)
  if (!existsSync(path)) throw new Error(`engine module ${arg} not found (looked at ${path}); built-in engines: ${BUILTIN_ENGINES.join(', ')}`)
  return path
}

function checkEngine(value: unknown, where: string): Engine {
  const e = value as Partial<Engine> | undefined
  const missing = ['name', 'version', 'dtypes', 'supports', 'compile'].filter((k) => e?.[k as keyof Engine] === undefined)
  if (!e || typeof e !== 'object' || missing.length > 0) {
    throw new Error(`${where} does not export an Engine: missing ${missing.join(', ') || 'everything'} (see contract/types.ts)`)
  }
  return e as Engine
}

async function loadModule(arg: string): Promise<Engine> {
  const path = resolveEnginePath(arg)
  let mod: { default?: unknown }
  try {
    mod = (await import(pathToFileURL(path).href)) as { default?: unknown }
  } catch (e) {
    throw new Error(`engine module ${arg} failed to load: ${(e as Error).message}`)
  }
  let d = mod.default
  // a TypeScript adapter in a CommonJS project arrives as module.exports = { default: … }
  if (d && typeof d === 'object' && 'default' in d && !('compile' in d)) d = (d as { default: unknown }).default
  return checkEngine(typeof d === 'function' ? await (d as () => unknown)() : d, `engine module ${arg}`)
}

const cache = new Map<string, Promise<Engine>>()

export function loadEngine(nameOrPath: string): Promise<Engine> {
  let p = cache.get(nameOrPath)
  if (!p) {
    p = builtins[nameOrPath] ? builtins[nameOrPath]() : loadModule(nameOrPath)
    cache.set(nameOrPath, p)
    p.catch(() => cache.delete(nameOrPath))
  }
  return p
}
