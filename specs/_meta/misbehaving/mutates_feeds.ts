// valueAndGrad() overwrites its fed inputs after computing (an aliasing bug) on graphs with Sigmoid.
import type { TensorData } from '../../../contract/types.ts'
import { misbehaving } from './wrap.ts'
export default misbehaving('mutates feeds', 'Sigmoid', 'valueAndGrad', ({ feeds }) => {
  for (const t of Object.values(feeds as Record<string, TensorData>)) (t.data as Float32Array).fill(0.5)
})
