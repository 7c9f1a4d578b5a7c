// onnxruntime-web under the gate: ONNX Runtime's kernels compiled to WebAssembly (run here in Node,
// single-threaded), through the same adapter and ModelProto writer as the native `onnxruntime` engine.
// Forward only, float32. Every disagreement with the native build is in ci/expectations/onnxruntime-web.txt.
import * as ort from 'onnxruntime-web'
import type { Engine } from '../../contract/types.ts'
import { ortEngine, type Ort } from '../../oracles/onnxruntime.ts'

ort.env.wasm.numThreads = 1 // one worker process, one thread: no SharedArrayBuffer workers to leak
const version = ort.env.versions.web ?? 'unknown'

const engine: Engine = ortEngine(ort as unknown as Ort, 'onnxruntime-web', version)
export default engine
