import CircuitBreaker from 'opossum';
import type { Logger } from 'pino';
import { BreakerOpenError, DownstreamError, type DownstreamTarget } from './downstream-error';

export type BreakerSettings = {
  /** Calls in a rolling window before the error rate may open the breaker (opossum's default 0 opens on one failure). */
  volumeThreshold: number;
  errorThresholdPercentage: number;
  /** How long the breaker stays open before letting one trial call through. */
  resetTimeoutMs: number;
  rollingCountTimeoutMs: number;
};

export const DEFAULT_BREAKER_SETTINGS: BreakerSettings = {
  volumeThreshold: 5,
  errorThresholdPercentage: 50,
  resetTimeoutMs: 10_000,
  rollingCountTimeoutMs: 10_000,
};

export type BreakerState = 'closed' | 'open' | 'half_open';

/** A call that ended: how long it took, its error if it failed, and the calls in flight then (itself included). */
export type CallOutcome = { latencyMs: number; error?: unknown; inFlight: number };
type CallListener = (outcome: CallOutcome) => void;

/** Which errors leave the breaker's count alone: answers a target gave on purpose. */
export type BreakerIgnores = (err: unknown) => boolean;

/** For a back office: a 4xx is about the one request (a bad mapping, too busy now), not the system being down. */
export const CLIENT_ERRORS: BreakerIgnores = (err) => err instanceof DownstreamError && err.isClientError;

/**
 * One breaker per downstream target. It guards each HTTP call: time-outs are the calls' own (each has
 * its own abort signal), and answers the target gave on purpose (by default every 4xx) do not count as failures.
 */
export class TargetBreaker {
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  private readonly listeners: ((state: BreakerState) => void)[] = [];
  private readonly callListeners: CallListener[] = [];
  private callsInFlight = 0;

  constructor(
    readonly target: DownstreamTarget,
    logger: Logger,
    private readonly settings: BreakerSettings = DEFAULT_BREAKER_SETTINGS,
    ignores: BreakerIgnores = CLIENT_ERRORS,
  ) {
    this.breaker = new CircuitBreaker((call: () => Promise<unknown>) => call(), {
      name: target,
      timeout: false,
      volumeThreshold: settings.volumeThreshold,
      errorThresholdPercentage: settings.errorThresholdPercentage,
      resetTimeout: settings.resetTimeoutMs,
      rollingCountTimeout: settings.rollingCountTimeoutMs,
      errorFilter: ignores,
    });
    const changed = (state: BreakerState, level: 'warn' | 'info', message: string) => () => {
      logger[level]({ target, breaker: state }, `${target} breaker ${message}`);
      for (const listener of this.listeners) listener(state);
    };
    this.breaker.on('open', changed('open', 'warn', 'opened: calls stop for now'));
    this.breaker.on('halfOpen', changed('half_open', 'info', 'half-open: trying one call'));
    this.breaker.on('close', changed('closed', 'info', 'closed: calls resume'));
  }

  onStateChange(listener: (state: BreakerState) => void): void {
    this.listeners.push(listener);
  }

  /** Told of every call the breaker let through, when it ends. */
  onCallSettled(listener: CallListener): void {
    this.callListeners.push(listener);
  }

  get state(): BreakerState {
    if (this.breaker.opened) return 'open';
    return this.breaker.halfOpen ? 'half_open' : 'closed';
  }

  get resetTimeoutMs(): number {
    return this.settings.resetTimeoutMs;
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const settled = (error?: unknown) => {
      const outcome = { latencyMs: performance.now() - started, error, inFlight: this.callsInFlight };
      for (const listener of this.callListeners) listener(outcome);
    };
    this.callsInFlight++;
    try {
      const result = (await this.breaker.fire(call)) as T;
      settled();
      return result;
    } catch (err) {
      if ((err as { code?: string }).code === 'EOPENBREAKER') throw new BreakerOpenError(this.target);
      settled(err);
      throw err;
    } finally {
      this.callsInFlight--;
    }
  }

  shutdown(): void {
    this.breaker.shutdown();
  }
}
