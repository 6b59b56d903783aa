import type { components } from '../../generated/openapi';
import { SLO_THRESHOLD_SECONDS } from '../../platform/http-metrics';
import { type EndpointCounts, quantileMs, sum, THRESHOLD_INDEX, withinThreshold } from './latency-buckets';
import { type LatencyRecorder, minuteOf } from './latency-recorder';
import type { LatencyRow, LatencyStore, LatencyTally } from './latency-store';
import type { OperationCatalog } from './operation-catalog';
import { BUDGET_WINDOW, BURN_RATE_WINDOWS, sloWindowMs, windowStart } from './slo-window';

export type SloReport = components['schemas']['SloReport'];
type SloEndpoint = components['schemas']['SloEndpoint'];
type SloWindowTally = components['schemas']['SloWindowTally'];

/** 99.9% of requests must be answered within 5 s without a 5xx. */
export const SLO_OBJECTIVE = 0.999;

/**
 * The SLO report over a rolling window, from the latency histograms that every gateway process sharing
 * the database adds to: each minute the window overlaps counts whole, and past the last 7 hours (rolled
 * up), each hour.
 */
export class SloReporter {
  constructor(
    private readonly recorder: LatencyRecorder,
    private readonly store: LatencyStore,
    private readonly operations: OperationCatalog,
    private readonly now: () => number,
  ) {}

  async report(window: string): Promise<SloReport> {
    const windowMs = sloWindowMs(window);
    // This process's latest answers count too, however recently it flushed.
    await this.recorder.flush();
    const now = this.now();
    const sinceOf = (ms: number) => windowStart(minuteOf(now - ms), now);
    const spanSeconds = (ms: number) => Math.round((now - sinceOf(ms).getTime()) / 1000);
    const tallyWindows = [...BURN_RATE_WINDOWS, BUDGET_WINDOW].map((name) => ({ name, ms: sloWindowMs(name) }));
    const [rows, tallies] = await Promise.all([
      this.store.bucketsSince(sinceOf(windowMs)),
      this.store.tallies(tallyWindows.map(({ ms }) => sinceOf(ms))),
    ]);
    const tallied = tallies.map((tally, i) => windowTally(tallyWindows[i].name, spanSeconds(tallyWindows[i].ms), tally));
    const endpoints = endpointCounts(rows);
    return {
      window,
      window_seconds: spanSeconds(windowMs),
      objective: SLO_OBJECTIVE,
      threshold_seconds: SLO_THRESHOLD_SECONDS,
      generated_at: new Date(now).toISOString(),
      overall: summarize({ operation: 'all', name: 'All operations', method: '*', route: '*' }, sum(endpoints.map((e) => e.counts))),
      endpoints: endpoints
        .map((e) => summarize(this.describe(e), e.counts))
        .filter((e) => e.count > 0)
        .sort((a, b) => b.count - a.count),
      burn_rates: tallied.slice(0, BURN_RATE_WINDOWS.length),
      error_budget_30d: tallied[BURN_RATE_WINDOWS.length],
    };
  }

  private describe({ method, route }: { method: string; route: string }) {
    const operation = this.operations(method, route);
    return { operation: operation?.id ?? `${method} ${route}`, name: operation?.name ?? `${method} ${route}`, method, route };
  }
}

type Endpoint = { method: string; route: string; counts: EndpointCounts };

/** Each operation's counts, its status classes summed. */
function endpointCounts(rows: LatencyRow[]): Endpoint[] {
  const endpoints = new Map<string, Endpoint>();
  for (const { method, route, statusClass, buckets } of rows) {
    const counts = { buckets, serverErrorsWithinThreshold: statusClass === '5xx' ? buckets[THRESHOLD_INDEX] : 0 };
    const key = `${method} ${route}`;
    const earlier = endpoints.get(key);
    endpoints.set(key, { method, route, counts: earlier ? sum([earlier.counts, counts]) : counts });
  }
  return [...endpoints.values()];
}

/** Bad requests over what the objective allows: 1 spends the budget exactly, above 1 faster. */
const spentShare = ({ count, bad }: LatencyTally) => bad / (count * (1 - SLO_OBJECTIVE));

function windowTally(window: string, windowSeconds: number, tally: LatencyTally): SloWindowTally {
  const { count, bad } = tally;
  return {
    window,
    window_seconds: windowSeconds,
    count,
    bad,
    burn_rate: count === 0 ? null : spentShare(tally),
    error_budget_remaining: count === 0 ? null : 1 - spentShare(tally),
  };
}

type EndpointName = Pick<SloEndpoint, 'operation' | 'name' | 'method' | 'route'>;

function summarize(name: EndpointName, counts: EndpointCounts): SloEndpoint {
  const count = counts.buckets[counts.buckets.length - 1];
  const bad = count - (withinThreshold(counts) - counts.serverErrorsWithinThreshold);
  return {
    ...name,
    count,
    p50_ms: quantileMs(counts.buckets, 0.5),
    p95_ms: quantileMs(counts.buckets, 0.95),
    p99_ms: quantileMs(counts.buckets, 0.99),
    within_5s: count === 0 ? null : withinThreshold(counts) / count,
    bad,
    error_budget_remaining: count === 0 ? null : 1 - spentShare({ count, bad }),
  };
}
