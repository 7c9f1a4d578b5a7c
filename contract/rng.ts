// The one seeded random source. sfc32 (PractRand-clean, 128-bit state) seeded through splitmix32,
// so neighbouring seeds give unrelated streams; `fork(label)` derives an independent child stream.

function splitmix32(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
}

/** FNV-1a of a label, to mix into a seed. */
export function hashLabel(label: string | number): number {
  let h = 0x811c9dc5
  for (const ch of String(label)) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193)
  return h >>> 0
}

export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number
  // the kept second value; a flag rather than `number | undefined`, so that V8 keeps the field an
  // unboxed double (a field that flips to undefined stores every double as a heap object)
  private spare = 0
  private hasSpare = false

  constructor(readonly seed: number) {
    const mix = splitmix32(seed)
    this.a = mix()
    this.b = mix()
    this.c = mix()
    this.d = mix()
    for (let i = 0; i < 12; i++) this.next()
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0
    this.d = (this.d + 1) >>> 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) >>> 0
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0
    this.c = (this.c + t) >>> 0
    return t / 4294967296
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next()
  }

  /** Gaussian by Box–Muller (the second value of each pair is kept for the next call). */
  normal(mean = 0, std = 1): number {
    if (this.hasSpare) {
      this.hasSpare = false
      return mean + std * this.spare
    }
    const u = 1 - this.next()
    const v = this.next()
    const r = Math.sqrt(-2 * Math.log(u))
    this.spare = r * Math.sin(2 * Math.PI * v)
    this.hasSpare = true
    return mean + std * r * Math.cos(2 * Math.PI * v)
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      ;[xs[i], xs[j]] = [xs[j]!, xs[i]!]
    }
    return xs
  }

  /** An independent stream determined by (seed, label). */
  fork(label: string | number): Rng {
    return new Rng((Math.imul(this.seed ^ 0x5bd1e995, 0x27d4eb2d) ^ hashLabel(label)) >>> 0)
  }
}
