// supports() reads attrs.kernel_shape of every node without checking it is there: it throws on any node
// passed without attributes that is not one of its ops (an outside adapter did this).
import { createReferenceEngine } from '../../../engine/index.ts'
import type { Engine, Node } from '../../../contract/types.ts'

const ref = createReferenceEngine('float32')
const engine: Engine = {
  ...ref,
  name: 'supports throws',
  supports: (node: Node) => {
    if (node.op === 'Elu') return (node.attrs as { kernel_shape: number[] }).kernel_shape.length > 0 || 'no'
    return ref.supports(node)
  },
}
export default engine
