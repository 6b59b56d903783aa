/** One look at the drain: how many sales Tessitura has recorded, how many wait, and the oldest one's age. */
export type DrainSample = {
  /** Seconds since the burst began. */
  atSeconds: number;
  delivered: number;
  pending: number;
  oldestPendingSeconds: number;
  /** The dispatcher's adaptive limit toward Tessitura. */
  concurrencyLimit: number;
};

export type DrainSettings = {
  sales: number;
  /** Tessitura's simulated service time. */
  latency: { medianMs: number; p99Ms: number; meanMs: number };
  /** Calls Tessitura serves at once; more are answered 429. */
  tessituraLimit: number;
};

export type DrainSummary = {
  /** Seconds from the burst's start until Tessitura had recorded every sale. */
  drainSeconds: number;
  /** Sales Tessitura recorded per second over that time. */
  salesPerSecond: number;
  /**
   * The same from the end of the burst: on a quiet machine the burst takes a few seconds and this is the
   * same figure; on a busy one the burst competes with the dispatcher for the cores.
   */
  salesPerSecondAfterBurst: number;
  /** Calls Tessitura served per sale (429s left out): the flow's calls, and any repeated by resumed attempts. */
  callsPerSale: number;
  /** limit / (calls per sale x mean latency): every slot of Tessitura's busy all the time. */
  idealSalesPerSecond: number;
  ratio: number;
  maxBacklogAgeSeconds: number;
  maxConcurrencyLimit: number;
  minConcurrencyLimitAfterPeak: number;
};

/** At least this share of the ideal passes. */
export const DRAIN_TARGET_RATIO = 0.8;

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** The rate, its ratio to what Tessitura's limit and latency allow, and the backlog's worst age. */
export function summarizeDrain(settings: DrainSettings, samples: DrainSample[], tessituraCallsServed: number, burstSeconds: number): DrainSummary {
  const drained = samples.find((sample) => sample.delivered >= settings.sales && sample.pending === 0);
  const drainSeconds = drained?.atSeconds ?? Number.NaN;
  const callsPerSale = tessituraCallsServed / settings.sales;
  const idealSalesPerSecond = settings.tessituraLimit / ((callsPerSale * settings.latency.meanMs) / 1000);
  const salesPerSecond = settings.sales / drainSeconds;
  const atBurstEnd = [...samples].reverse().find((sample) => sample.atSeconds <= burstSeconds)?.delivered ?? 0;
  const limits = samples.map((sample) => sample.concurrencyLimit);
  const peakAt = limits.indexOf(Math.max(...limits));
  return {
    drainSeconds: round(drainSeconds, 1),
    salesPerSecond: round(salesPerSecond),
    salesPerSecondAfterBurst: round((settings.sales - atBurstEnd) / (drainSeconds - burstSeconds)),
    callsPerSale: round(callsPerSale),
    idealSalesPerSecond: round(idealSalesPerSecond),
    ratio: round(salesPerSecond / idealSalesPerSecond),
    // A scrape that could not read the outbox leaves NaN: it is no age.
    maxBacklogAgeSeconds: round(Math.max(0, ...samples.map((sample) => sample.oldestPendingSeconds).filter(Number.isFinite)), 1),
    maxConcurrencyLimit: Math.max(...limits),
    minConcurrencyLimitAfterPeak: Math.min(...limits.slice(peakAt)),
  };
}
