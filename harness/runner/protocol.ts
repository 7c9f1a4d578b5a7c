// Messages between the pool and its workers.
import type { ClaimRecord } from '../claim.ts'
import type { Call } from '../guard.ts'

export interface ToWorker {
  key: string
  id: string
  engine: string
  seed: number
  /** the spec file that registers claim `id` (the worker imports it when it first needs it) */
  file: string
}

export type ToPool =
  | { type: 'ready' }
  | { type: 'loaded'; engine: string }
  | { type: 'call'; call: Call }
  | { type: 'record'; key: string; record: ClaimRecord; recycle: boolean }
  | { type: 'crash'; message: string }
