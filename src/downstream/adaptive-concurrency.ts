import type { CallOutcome } from './circuit-breaker';
import { DownstreamError } from './downstream-error';

export type AdaptiveConcurrencySettings = {
  /** The limit to start from (a cold start should not flood a system it knows nothing of yet). */
  initial: number;
  /** The most calls in flight it ever allows. */
  max: number;
};

/** How far the recent latency may rise above the baseline before it counts as the target queueing. */
const LATENCY_TOLERANCE = 2;
/**
 * A rise smaller than this is never taken for queueing: a fast target's few milliseconds double with any
 * pause of the gateway's own event loop.
 */
const MIN_QUEUEING_MS = 25;
/** Cut to this share of the limit on a sign of overload (TCP Reno halves; a gentler cut keeps throughput). */
const BACKOFF_RATIO = 0.9;
/** Weight of a new sample in the recent latency (about the last 10 calls). */
const RECENT_WEIGHT = 0.1;
/** Weight of a new sample in the baseline (about the last 100 calls): a lasting change is accepted slowly. */
const BASELINE_WEIGHT = 0.01;
/** Cuts are at least this far apart even before any latency is known (a first burst of 429s is one cut). */
const MIN_CUT_INTERVAL_MS = 100;
const MIN_LIMIT = 1;

/** What a call's outcome says about the target's load. */
export type CallSignal = 'ok' | 'overloaded' | 'ignored';

/**
 * A 429 (the target's own limit), a 503 or 504 (its gateway's), or no answer in time or at all: too many
 * calls at once. Other refusals (400, 404, 500) say nothing about load.
 */
export function loadSignalOf(error: unknown): CallSignal {
  if (error === undefined) return 'ok';
  if (!(error instanceof DownstreamError)) return 'ignored';
  const { status } = error;
  return status === undefined || status === 429 || status === 503 || status === 504 ? 'overloaded' : 'ignored';
}

/**
 * The number of calls a downstream system is sent at once, found by AIMD (additive increase,
 * multiplicative decrease, in the spirit of TCP and Netflix's concurrency-limits): each successful call
 * whose recent latency stays within twice the baseline adds 1/limit (about one more per limit's worth of
 * calls) while at least half the limit is in use; a sign of overload (a 429, a time-out, the recent latency
 * above twice the baseline) cuts the limit to 90%, at most once per recent latency (one round trip), so that
 * one burst of refusals is one cut. Latency alone never cuts below the initial limit, nor keeps a limit below it from growing back.
 * `now` is injectable for tests (a fake clock).
 */
export class AdaptiveConcurrencyLimit {
  private estimate: number;
  private recentMs: number | undefined;
  private baselineMs: number | undefined;
  private lastCutAt = Number.NEGATIVE_INFINITY;
  private readonly listeners: ((limit: number) => void)[] = [];

  constructor(
    private readonly settings: AdaptiveConcurrencySettings,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.estimate = Math.min(Math.max(settings.initial, MIN_LIMIT), settings.max);
  }

  /** Calls that may be in flight now. */
  get current(): number {
    return Math.floor(this.estimate);
  }

  onChange(listener: (limit: number) => void): void {
    this.listeners.push(listener);
  }

  record({ latencyMs, error, inFlight }: CallOutcome): void {
    const before = this.current;
    const signal = loadSignalOf(error);
    if (signal === 'overloaded') this.cut(MIN_LIMIT);
    else if (signal === 'ok') this.learn(latencyMs, inFlight);
    if (this.current !== before) for (const listener of this.listeners) listener(this.current);
  }

  private learn(latencyMs: number, inFlight: number): void {
    this.recentMs = this.recentMs === undefined ? latencyMs : this.recentMs + RECENT_WEIGHT * (latencyMs - this.recentMs);
    this.baselineMs = this.baselineMs === undefined ? latencyMs : this.baselineMs + BASELINE_WEIGHT * (latencyMs - this.baselineMs);
    const queueing = this.recentMs > LATENCY_TOLERANCE * this.baselineMs && this.recentMs - this.baselineMs > MIN_QUEUEING_MS;
    // Calls well under the limit say nothing of whether the target could take more (as in Netflix's AIMDLimit).
    const grown = inFlight * 2 >= this.current ? Math.min(this.settings.max, this.estimate + 1 / this.estimate) : this.estimate;
    if (!queueing) this.estimate = grown;
    // Latency measured here includes the gateway's own pauses (a loaded machine's, say): a weaker sign than a
    // refusal, so it only takes back growth beyond the initial limit, and never keeps a limit that refusals or
    // time-outs cut below the initial one from growing back to it.
    else if (this.estimate > this.settings.initial) this.cut(this.settings.initial);
    else this.estimate = Math.min(this.settings.initial, grown);
  }

  private cut(floor: number): void {
    const at = this.now();
    if (at - this.lastCutAt < Math.max(this.recentMs ?? 0, MIN_CUT_INTERVAL_MS)) return;
    this.lastCutAt = at;
    this.estimate = Math.max(floor, this.estimate * BACKOFF_RATIO);
  }
}
