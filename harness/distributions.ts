// Goodness of fit for sampled weights: sample moments and the Kolmogorov–Smirnov statistic
// against a stated CDF, with the asymptotic critical value at a stated significance level.

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, far below the KS resolution used here). */
export function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x))
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x)
  return x >= 0 ? y : -y
}

export const normalCdf = (std: number) => (x: number) => 0.5 * (1 + erf(x / (std * Math.SQRT2)))
export const uniformCdf = (limit: number) => (x: number) => Math.min(1, Math.max(0, (x + limit) / (2 * limit)))

/** sup |F_n(x) − F(x)| over the sample. */
export function ksStatistic(sample: number[], cdf: (x: number) => number): number {
  const xs = [...sample].sort((a, b) => a - b)
  const n = xs.length
  let d = 0
  xs.forEach((x, i) => {
    const f = cdf(x)
    d = Math.max(d, (i + 1) / n - f, f - i / n)
  })
  return d
}

/** Asymptotic KS critical value c(α)/√n, c(α) = √(−ln(α/2)/2). */
export const ksCritical = (n: number, alpha: number) => Math.sqrt(-Math.log(alpha / 2) / 2) / Math.sqrt(n)

export function moments(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length
  return { mean, variance: xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) }
}
