// Splitting a run over machines: `--shard i/n` takes a deterministic part of the (claim, engine)
// pairs, balanced by expected duration (a previous report's, else costs.json, the slowest engine's
// time per claim measured here), longest first onto the lightest shard. Every pair lands in exactly
// one shard, and each claim's seed derivation is the unsharded one, so verdicts and evidence match.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './selection.ts'

export interface Shard {
  index: number
  count: number
}

export function parseShard(arg: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(arg)
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN]
  if (!m || count < 1 || index < 1 || index > count) throw new Error(`--shard ${arg}: expected i/n with 1 ≤ i ≤ n (e.g. 2/4)`)
  return { index, count }
}

let table: Record<string, number> | undefined
/** The static cost of a claim (ms): costs.json, measured on this machine; 1 s for one it does not know. */
export const staticCost = (id: string): number => (table ??= JSON.parse(readFileSync(join(ROOT, 'harness/runner/costs.json'), 'utf8')) as Record<string, number>)[id] ?? 1000

/** The keys of shard `s` among `keys`, given each key's cost: greedy longest-first onto the lightest shard. */
export function shardOf<T extends { key: string; cost: number }>(items: T[], s: Shard): T[] {
  const load = new Array<number>(s.count).fill(0)
  const mine: T[] = []
  const order = [...items].sort((a, b) => b.cost - a.cost || a.key.localeCompare(b.key))
  for (const it of order) {
    let k = 0
    for (let j = 1; j < s.count; j++) if (load[j]! < load[k]!) k = j
    load[k]! += it.cost
    if (k === s.index - 1) mine.push(it)
  }
  return mine
}
