/** A call's service time as a real system shows it: most near the median, a long tail up to the p99. */
export interface LatencyDistribution {
  medianMs: number;
  /** At least the median; equal to it means every call takes the median. */
  p99Ms: number;
}

/** The standard normal's 99th percentile: ln(p99 / median) / Z_99 is the log-normal's sigma. */
const Z_99 = 2.326_347_874;

export class LatencyError extends Error {}

/**
 * Log-normal service times from a median and a p99 (`exp(ln(median) + sigma * z)`, z standard normal by
 * Box-Muller). `random` is injectable so that tests draw a known sequence.
 */
export class LatencyModel {
  private readonly sigma: number;

  constructor(
    readonly distribution: LatencyDistribution,
    private readonly random: () => number = Math.random,
  ) {
    const { medianMs, p99Ms } = distribution;
    if (!(Number.isFinite(medianMs) && medianMs >= 0)) throw new LatencyError('the median latency must be a number of milliseconds >= 0');
    if (!(Number.isFinite(p99Ms) && p99Ms >= medianMs)) throw new LatencyError('the p99 latency must be a number of milliseconds >= the median');
    this.sigma = medianMs > 0 ? Math.log(p99Ms / medianMs) / Z_99 : 0;
  }

  /** The mean of the distribution: what a call costs on average (`median * exp(sigma^2 / 2)`). */
  get meanMs(): number {
    return this.distribution.medianMs * Math.exp((this.sigma * this.sigma) / 2);
  }

  sampleMs(): number {
    if (this.sigma === 0) return this.distribution.medianMs;
    const z = Math.sqrt(-2 * Math.log(1 - this.random())) * Math.cos(2 * Math.PI * this.random());
    return this.distribution.medianMs * Math.exp(this.sigma * z);
  }
}
