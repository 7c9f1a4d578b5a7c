// CLAIMS.md §13–14: history, opinion and systems mentioned in passing — listed, not run, so the
// report covers the whole catalog.
import { informational } from '../harness/claim.ts'

informational({ id: 'scale.large-batch-history', source: '001', quote: 'ResNet-50 on ImageNet in 7 minutes with batches of 64k', reading: 'Historical figure, not reproducible here.' })
informational({ id: 'memory-networks', source: '001', quote: '记忆网络 (memory networks)', reading: 'A system named in passing; nothing to execute.' })
informational({ id: 'nas.search', source: '001', quote: '神经结构搜索 (neural architecture search)', reading: 'A research direction named in passing; nothing to execute.' })
informational({ id: 'rl.parallel', source: '001', quote: '并行的强化学习 (parallel reinforcement learning)', reading: 'A research direction named in passing; nothing to execute.' })
informational({ id: 'history.milestones', source: '001, 004', quote: '深度学习的发展历史 (history of deep learning)', reading: 'Historical narrative; nothing to execute.' })
