import type { Logger } from 'pino';
import type { TargetBreaker } from '../../downstream/circuit-breaker';
import { BreakerOpenError, DownstreamError, type DownstreamTarget } from '../../downstream/downstream-error';
import { type ClaimedDelivery, UndeliverableError } from './delivery';
import type { DeliverySender } from './delivery-senders';
import { type DeliveryStore, LeaseLostError } from './delivery-store';
import { type BackoffSettings, retryDelayMs } from './retry-backoff';

export type DispatcherSettings = BackoffSettings & {
  maxAttempts: number;
  /** Deliveries sent at once by this dispatcher. */
  concurrency: number;
  /** How often to look for due deliveries when nothing wakes the dispatcher sooner. */
  pollIntervalMs: number;
  /** How long a claim lasts: longer than a whole send can take, so no other dispatcher takes it meanwhile. */
  leaseMs: number;
};

export const DEFAULT_DISPATCHER_SETTINGS: Omit<DispatcherSettings, keyof BackoffSettings | 'maxAttempts' | 'leaseMs' | 'concurrency'> = {
  pollIntervalMs: 2_000,
};

export type Target = { send: DeliverySender; breaker: TargetBreaker };

export type DeliveryOutcome = 'delivered' | 'retry' | 'dead' | 'postponed';
/** Told of every attempt's outcome (metrics). */
export type DeliveryObserver = (target: DownstreamTarget, outcome: DeliveryOutcome) => void;

/**
 * Sends due deliveries to their targets with bounded concurrency, and records each outcome: delivered
 * (with the target's acknowledgment), failed (due again after a jittered backoff), or dead (a refusal
 * retrying cannot fix, or too many attempts). A target whose breaker is open is not called: its
 * deliveries wait, without counting an attempt, until the breaker lets calls through again.
 */
export class Dispatcher {
  private readonly inFlight = new Map<number, { abort: AbortController; done: Promise<void> }>();
  private pumping = false;
  private pumpAgain = false;
  private started = false;
  private stopping = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: DeliveryStore,
    private readonly targets: Record<DownstreamTarget, Target>,
    private readonly settings: DispatcherSettings,
    private readonly logger: Logger,
    private readonly observe: DeliveryObserver = () => undefined,
  ) {}

  start(): void {
    this.started = true;
    this.timer = setInterval(() => this.wake(), this.settings.pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  /** Looks for due deliveries now (an invoice was just made, or another process said so). */
  wake(): void {
    if (this.started) void this.pump();
  }

  /**
   * Stops claiming, gives in-flight sends `graceMs` to finish, then aborts the rest and hands their
   * deliveries back (due at once, progress kept) for the next dispatcher.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    const all = () => Promise.all([...this.inFlight.values()].map((send) => send.done));
    const grace = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([all(), grace]);
    for (const send of this.inFlight.values()) send.abort.abort();
    await all();
  }

  get busy(): number {
    return this.inFlight.size;
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        const free = this.settings.concurrency - this.inFlight.size;
        if (free <= 0 || this.stopping) break;
        const claimed = await this.store.claimDue(free, this.settings.leaseMs);
        for (const delivery of claimed) this.launch(delivery);
        if (claimed.length === free) this.pumpAgain = true;
      } while (this.pumpAgain && !this.stopping);
    } catch (err) {
      this.logger.warn({ err }, 'could not claim deliveries; trying again at the next poll');
    } finally {
      this.pumping = false;
    }
  }

  private launch(delivery: ClaimedDelivery): void {
    const abort = new AbortController();
    const done = this.deliver(delivery, abort.signal)
      .catch((err: unknown) => this.logger.error({ err, delivery: delivery.id }, 'could not record a delivery outcome'))
      .finally(() => {
        this.inFlight.delete(delivery.id);
        this.wake();
      });
    this.inFlight.set(delivery.id, { abort, done });
  }

  private async deliver(delivery: ClaimedDelivery, signal: AbortSignal): Promise<void> {
    const target = this.targets[delivery.target];
    const log = this.logger.child({ delivery: delivery.id, target: delivery.target, attempt: delivery.attempts + 1 });
    if (target.breaker.state === 'open') return this.postpone(delivery);
    try {
      const sent = await target.send(delivery, { saveProgress: (progress) => this.store.saveProgress(delivery, progress), signal });
      await this.store.markDelivered(delivery, sent.acknowledgment, sent.summary);
      this.observe(delivery.target, 'delivered');
      log.info({ summary: sent.summary }, 'delivered');
    } catch (err) {
      await this.recordFailure(delivery, err, signal, log);
    }
  }

  private async recordFailure(delivery: ClaimedDelivery, err: unknown, signal: AbortSignal, log: Logger): Promise<void> {
    if (err instanceof LeaseLostError) return void log.warn('another dispatcher took this delivery over');
    if (signal.aborted) return this.store.release(delivery, 0);
    if (err instanceof BreakerOpenError) return this.postpone(delivery);
    const attempt = delivery.attempts + 1;
    const permanent = err instanceof UndeliverableError || (err instanceof DownstreamError && err.permanent);
    const dead = permanent || attempt >= this.settings.maxAttempts;
    const error = err instanceof Error ? err.message : String(err);
    await this.store.markFailed(delivery, { attempt, error, dead, retryInMs: retryDelayMs(attempt, this.settings) });
    this.observe(delivery.target, dead ? 'dead' : 'retry');
    if (dead) log.warn({ error }, permanent ? 'delivery refused: dead until staff retry it' : 'delivery failed too often: dead');
    else log.info({ error }, 'delivery attempt failed; will retry');
  }

  /** An open breaker lets a trial call through after its reset time; the delivery waits about that long. */
  private async postpone(delivery: ClaimedDelivery): Promise<void> {
    await this.store.release(delivery, this.targets[delivery.target].breaker.resetTimeoutMs * (1 + Math.random() / 2));
    this.observe(delivery.target, 'postponed');
  }
}
