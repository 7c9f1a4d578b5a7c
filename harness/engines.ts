// Built-in engines by name, and any module path that default-exports an Engine (or a factory of one).
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Engine } from '../contract/types.ts'
import { Unsupported } from './unsupported.ts'

export const BUILTIN_ENGINES = ['reference', 'reference-f64', 'tfjs-cpu', 'tfjs-wasm', 'onnxruntime'] as const

/**
 * TensorFlow.js and ONNX Runtime are optional dependencies (installing the gate must not need them):
 * a built-in on a library that is not installed is Unsupported, so a claim using it as an oracle is
 * skipped with how to install it, and the engine named with --engine is an error saying the same.
 */
async function optional<T>(pkg: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load()
  } catch (e) {
    const missing = (e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && (e as Error).message.includes(`'${pkg}'`)
    if (missing) throw new Unsupported(`${pkg} is not installed (an optional dependency of nnspec; npm install --save-dev ${pkg} adds it)`)
    throw e
  }
}

const builtins: Record<string, () => Promise<Engine>> = {
  reference: async () => (await import('../engine/index.ts')).createReferenceEngine('float32'),
  'reference-f64': async () => (await import('../engine/index.ts')).createReferenceEngine('float64'),
  'tfjs-cpu': () => optional('@tensorflow/tfjs', async () => (await import('../oracles/tfjs.ts')).createTfjsEngine('cpu')),
  'tfjs-wasm': () => optional('@tensorflow/tfjs', async () => (await import('../oracles/tfjs.ts')).createTfjsEngine('wasm')),
  onnxruntime: () => optional('onnxruntime-node', async () => (await import('../oracles/onnxruntime.ts')).createOnnxRuntimeEngine()),
}

export const isBuiltin = (name: string): boolean => name in builtins

/** `file.ts#variant`: one of several engines a module makes (its `variants` record), e.g. the per-op broken engines. */
export const splitVariant = (arg: string): [string, string | undefined] => {
  const i = arg.lastIndexOf('#')
  return i > 0 ? [arg.slice(0, i), arg.slice(i + 1)] : [arg, undefined]
}

/** The module an engine comes from (a built-in name stays itself): the variants of one module (`m.ts#a`, `m.ts#b`) load the same libraries, may share a worker and are probed once. */
export const moduleOf = (engine: string): string => splitVariant(engine)[0]

/** Absolute path of an engine module named on the command line (with its #variant); throws naming the file if absent. */
export function resolveEnginePath(arg: string): string {
  const [file, variant] = splitVariant(arg)
  const path = resolve(process.cwd(), file)
  if (!existsSync(path)) throw new Error(`engine module ${file} not found (looked at ${path}); built-in engines: ${BUILTIN_ENGINES.join(', ')}`)
  return variant ? `${path}#${variant}` : path
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
  const [path, variant] = splitVariant(resolveEnginePath(arg))
  let mod: { default?: unknown; variants?: Record<string, unknown> }
  try {
    mod = (await import(pathToFileURL(path).href)) as typeof mod
  } catch (e) {
    throw new Error(`engine module ${arg} failed to load: ${(e as Error).message}`)
  }
  if (variant !== undefined) {
    const v = mod.variants?.[variant]
    if (v === undefined) throw new Error(`engine module ${path} has no variant "${variant}" (it has ${Object.keys(mod.variants ?? {}).join(', ') || 'none'})`)
    return checkEngine(typeof v === 'function' ? await (v as () => unknown)() : v, `engine ${arg}`)
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
