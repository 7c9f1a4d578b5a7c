// Shared by the tfjs findings: tfjs on the backend named by NNSPEC_TFJS_BACKEND (cpu by default),
// without tfjs's advertisement for tfjs-node.
const [log, warn] = [console.log, console.warn]
console.log = console.warn = () => {}
const tf = await import('@tensorflow/tfjs')
const backend = process.env['NNSPEC_TFJS_BACKEND'] ?? 'cpu'
if (backend === 'wasm') {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm')
  const { createRequire } = await import('node:module')
  const { dirname, join } = await import('node:path')
  setWasmPaths(`${join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`)
}
await tf.setBackend(backend)
await tf.ready()
tf.tidy(() => tf.scalar(0)) // the cpu backend's first write prints the banner: let it print while silenced
;[console.log, console.warn] = [log, warn]
export { tf }
