import { LATENCY_BUCKETS, SLO_THRESHOLD_SECONDS } from '../../platform/http-metrics';

/** One endpoint's answers in some span of time, as the latency histogram counts them. */
export type EndpointCounts = {
  /** Cumulative count per bucket of LATENCY_BUCKETS, then +Inf (the total). */
  buckets: number[];
  /** 5xx answers within the SLO threshold: bad though quick (the slower ones are bad already). */
  serverErrorsWithinThreshold: number;
};

export const THRESHOLD_INDEX = LATENCY_BUCKETS.indexOf(SLO_THRESHOLD_SECONDS);
export const BUCKET_COUNT = LATENCY_BUCKETS.length + 1;

export const emptyBuckets = (): number[] => new Array<number>(BUCKET_COUNT).fill(0);

/** Cumulative buckets holding one answer that took `seconds`. */
export function bucketsOf(seconds: number): number[] {
  const bound = LATENCY_BUCKETS.findIndex((le) => seconds <= le);
  const first = bound === -1 ? LATENCY_BUCKETS.length : bound;
  return emptyBuckets().map((_, i) => (i >= first ? 1 : 0));
}

export const addBuckets = (a: number[], b: number[]): number[] => a.map((count, i) => count + b[i]);

export function sum(counts: EndpointCounts[]): EndpointCounts {
  return counts.reduce(
    (total, c) => ({
      buckets: addBuckets(total.buckets, c.buckets),
      serverErrorsWithinThreshold: total.serverErrorsWithinThreshold + c.serverErrorsWithinThreshold,
    }),
    { buckets: emptyBuckets(), serverErrorsWithinThreshold: 0 },
  );
}

/**
 * The q-quantile in milliseconds, interpolated linearly within its bucket as Prometheus's
 * histogram_quantile does; in the +Inf bucket it is the highest finite bound. Null without requests.
 */
export function quantileMs(buckets: number[], q: number): number | null {
  const total = buckets[buckets.length - 1];
  if (total === 0) return null;
  const rank = q * total;
  const index = buckets.findIndex((count) => count >= rank);
  if (index === LATENCY_BUCKETS.length) return LATENCY_BUCKETS[LATENCY_BUCKETS.length - 1] * 1000;
  const lower = index === 0 ? 0 : LATENCY_BUCKETS[index - 1];
  const below = index === 0 ? 0 : buckets[index - 1];
  const inBucket = buckets[index] - below;
  const fraction = inBucket === 0 ? 1 : (rank - below) / inBucket;
  return Math.round((lower + (LATENCY_BUCKETS[index] - lower) * fraction) * 1000 * 100) / 100;
}

export const withinThreshold = (counts: EndpointCounts) => counts.buckets[THRESHOLD_INDEX];
