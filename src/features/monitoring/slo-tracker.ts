import type { Histogram } from 'prom-client';
import type { components } from '../../generated/openapi';
import { SLO_THRESHOLD_SECONDS, UNMATCHED_ROUTE } from '../../platform/http-metrics';
import {
  difference,
  type EndpointCounts,
  type HistogramReading,
  quantileMs,
  readHistogram,
  sum,
  withinThreshold,
} from './latency-histogram-window';

export type SloReport = components['schemas']['SloReport'];
type SloEndpoint = components['schemas']['SloEndpoint'];

/** 99.9% of requests must be answered within 5 s without a 5xx. */
export const SLO_OBJECTIVE = 0.999;
const READING_INTERVAL_MS = 15_000;
export const MAX_WINDOW_SECONDS = 6 * 3600;

export type OperationNames = (method: string, route: string) => string;

/**
 * The SLO report over a rolling window, computed from the same latency histogram that /metrics exposes:
 * it reads the histogram every 15 s and keeps 6 h of readings; a window is the current reading minus
 * the one from that long ago, as Prometheus's increase() would compute it.
 */
export class SloTracker {
  private readonly readings: HistogramReading[] = [];
  private readonly startedAt: number;
  private timer?: NodeJS.Timeout;

  /** The histogram must be as new as this tracker: before the first reading, a window starts at zero. */
  constructor(
    private readonly histogram: Histogram<'method' | 'route' | 'status'>,
    private readonly operationName: OperationNames,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  start(): void {
    this.timer = setInterval(() => void this.record(), READING_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async report(window: string): Promise<SloReport> {
    const current = await readHistogram(this.histogram, this.now());
    const wanted = current.at - windowSeconds(window) * 1000;
    // No reading that old: the process is younger than the window, which then starts at zero.
    const base = [...this.readings].reverse().find((reading) => reading.at <= wanted);
    // Requests that matched no operation (a wrong URL) say nothing about the API's latency.
    const endpoints = [...current.endpoints]
      .map(([key, counts]) => {
        const [method, route] = splitKey(key);
        return { method, route, counts: difference(counts, base?.endpoints.get(key)) };
      })
      .filter((endpoint) => endpoint.route !== UNMATCHED_ROUTE);
    return {
      window,
      window_seconds: Math.round((current.at - (base?.at ?? this.startedAt)) / 1000),
      objective: SLO_OBJECTIVE,
      threshold_seconds: SLO_THRESHOLD_SECONDS,
      generated_at: new Date(current.at).toISOString(),
      overall: summarize('all', '*', '*', sum(endpoints.map((e) => e.counts))),
      endpoints: endpoints
        .map((e) => summarize(this.operationName(e.method, e.route), e.method, e.route, e.counts))
        .filter((e) => e.count > 0)
        .sort((a, b) => b.count - a.count),
    };
  }

  /** Reads the histogram (every 15 s once started). */
  async record(): Promise<void> {
    this.readings.push(await readHistogram(this.histogram, this.now()));
    const oldest = this.now() - (MAX_WINDOW_SECONDS * 1000 + READING_INTERVAL_MS);
    while (this.readings.length > 1 && this.readings[1].at <= oldest) this.readings.shift();
  }
}

function splitKey(key: string): [string, string] {
  const space = key.indexOf(' ');
  return [key.slice(0, space), key.slice(space + 1)];
}

/** `15m` or `1h` in seconds. */
export function windowSeconds(window: string): number {
  const amount = Number(window.slice(0, -1));
  return Math.min(MAX_WINDOW_SECONDS, window.endsWith('h') ? amount * 3600 : amount * 60);
}

function summarize(operation: string, method: string, route: string, counts: EndpointCounts): SloEndpoint {
  const count = counts.buckets[counts.buckets.length - 1];
  const good = withinThreshold(counts) - counts.serverErrorsWithinThreshold;
  const bad = count - good;
  return {
    operation,
    method,
    route,
    count,
    p50_ms: quantileMs(counts.buckets, 0.5),
    p95_ms: quantileMs(counts.buckets, 0.95),
    p99_ms: quantileMs(counts.buckets, 0.99),
    within_5s: count === 0 ? null : withinThreshold(counts) / count,
    bad,
    error_budget_remaining: count === 0 ? null : 1 - bad / (count * (1 - SLO_OBJECTIVE)),
  };
}

