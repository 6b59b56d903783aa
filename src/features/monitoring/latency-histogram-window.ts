import type { Histogram } from 'prom-client';
import { LATENCY_BUCKETS, SLO_THRESHOLD_SECONDS } from '../../platform/http-metrics';

/** One endpoint's counts, cumulative since the process started, read off the latency histogram. */
export type EndpointCounts = {
  /** Cumulative count per bucket of LATENCY_BUCKETS, then +Inf (the total). */
  buckets: number[];
  /** 5xx answers, and those of them within the SLO threshold (the slower ones are already bad). */
  serverErrors: number;
  serverErrorsWithinThreshold: number;
};

export type HistogramReading = { at: number; endpoints: Map<string, EndpointCounts> };

const THRESHOLD_INDEX = LATENCY_BUCKETS.indexOf(SLO_THRESHOLD_SECONDS);

export const endpointKey = (method: string, route: string) => `${method} ${route}`;

/** Sums the histogram's series per endpoint (method and route), across statuses. */
export async function readHistogram(histogram: Histogram<'method' | 'route' | 'status'>, at: number): Promise<HistogramReading> {
  const endpoints = new Map<string, EndpointCounts>();
  for (const sample of (await histogram.get()).values) {
    if (!sample.metricName?.endsWith('_bucket')) continue;
    const { method, route, status, le } = sample.labels as Record<string, string | number>;
    const key = endpointKey(String(method), String(route));
    let counts = endpoints.get(key);
    if (!counts) {
      counts = { buckets: new Array(LATENCY_BUCKETS.length + 1).fill(0), serverErrors: 0, serverErrorsWithinThreshold: 0 };
      endpoints.set(key, counts);
    }
    const index = le === '+Inf' ? LATENCY_BUCKETS.length : LATENCY_BUCKETS.indexOf(Number(le));
    counts.buckets[index] += sample.value;
    if (String(status).startsWith('5')) {
      if (index === LATENCY_BUCKETS.length) counts.serverErrors += sample.value;
      if (index === THRESHOLD_INDEX) counts.serverErrorsWithinThreshold += sample.value;
    }
  }
  return { at, endpoints };
}

/** What happened between two readings of one endpoint. */
export function difference(later: EndpointCounts, earlier: EndpointCounts | undefined): EndpointCounts {
  if (!earlier) return later;
  return {
    buckets: later.buckets.map((count, i) => count - earlier.buckets[i]),
    serverErrors: later.serverErrors - earlier.serverErrors,
    serverErrorsWithinThreshold: later.serverErrorsWithinThreshold - earlier.serverErrorsWithinThreshold,
  };
}

export function sum(counts: EndpointCounts[]): EndpointCounts {
  return counts.reduce(
    (total, c) => ({
      buckets: total.buckets.map((count, i) => count + c.buckets[i]),
      serverErrors: total.serverErrors + c.serverErrors,
      serverErrorsWithinThreshold: total.serverErrorsWithinThreshold + c.serverErrorsWithinThreshold,
    }),
    { buckets: new Array(LATENCY_BUCKETS.length + 1).fill(0), serverErrors: 0, serverErrorsWithinThreshold: 0 },
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
