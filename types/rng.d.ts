/** FNV-1a of a label, to mix into a seed. */
export declare function hashLabel(label: string | number): number;
export declare class Rng {
    readonly seed: number;
    private a;
    private b;
    private c;
    private d;
    private spare;
    constructor(seed: number);
    /** Uniform in [0, 1). */
    next(): number;
    uniform(lo: number, hi: number): number;
    /** Gaussian by Box–Muller (the second value of each pair is kept for the next call). */
    normal(mean?: number, std?: number): number;
    /** Integer in [0, n). */
    int(n: number): number;
    /** Fisher–Yates, in place. */
    shuffle<T>(xs: T[]): T[];
    /** An independent stream determined by (seed, label). */
    fork(label: string | number): Rng;
}
