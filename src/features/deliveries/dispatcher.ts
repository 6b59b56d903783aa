import type { Logger } from 'pino';
import { BreakerOpenError, DownstreamError } from '../../downstream/downstream-error';
import { type ClaimedDelivery, type Progress, UndeliverableError } from './delivery';
import { type DeliveryStore, LeaseLostError } from './delivery-store';
import { type BackoffSettings, retryDelayMs } from './retry-backoff';
import { inAttemptSpan, noteAttemptOutcome, outsideAnyTrace } from './attempt-span';
import { keepLease, LeaseNotKeptError } from './lease-keeper';
import { laneOf, type LiveTarget } from './targets/delivery-target';
import { saleOf } from './targets/sale-targets';

export type DispatcherSettings = BackoffSettings & {
  maxAttempts: number;
  /** How often to look for due deliveries when nothing wakes the dispatcher sooner. */
  pollIntervalMs: number;
  /**
   * How long a claim lasts unless renewed: an attempt renews it while it runs (see keepLease), so this is
   * how soon a dead dispatcher's deliveries are taken over.
   */
  leaseMs: number;
};

export const DEFAULT_DISPATCHER_SETTINGS: Omit<DispatcherSettings, keyof BackoffSettings | 'maxAttempts' | 'leaseMs'> = {
  pollIntervalMs: 2_000,
};

export type DeliveryOutcome = 'delivered' | 'retry' | 'dead' | 'postponed' | 'withdrawn';
/** Told of every attempt's outcome (metrics). */
export type DeliveryObserver = (target: string, outcome: DeliveryOutcome) => void;

/**
 * Sends due deliveries to their targets, never more at once to one downstream system than its concurrency
 * limit allows (all its kinds of delivery together; a slow system never takes another's slots), and
 * records each outcome: delivered (with the target's acknowledgment), failed (due again after a jittered backoff), or dead (a refusal
 * retrying cannot fix, or too many attempts). A target whose breaker is open is not called: its
 * deliveries wait, without counting an attempt, until the breaker lets calls through again; so do those a
 * target refused as too busy (429) beyond what the call itself waited out.
 */
export class Dispatcher {
  private readonly inFlight = new Map<number, { system: string; abort: AbortController; done: Promise<void> }>();
  private pumping = false;
  private pumpAgain = false;
  private started = false;
  private stopping = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: DeliveryStore,
    private readonly targets: ReadonlyMap<string, LiveTarget>,
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
    if (this.started) void outsideAnyTrace(() => this.pump());
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

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        for (const target of this.targets.values()) {
          const free = target.concurrency.current - this.sendingTo(target.name);
          if (free <= 0 || this.stopping) continue;
          const claimed = await this.store.claimDue(target, free, this.settings.leaseMs);
          for (const delivery of claimed) this.launch(target, delivery);
          if (claimed.length === free) this.pumpAgain = true;
        }
      } while (this.pumpAgain && !this.stopping);
    } catch (err) {
      this.logger.warn({ err }, 'could not claim deliveries; trying again at the next poll');
    } finally {
      this.pumping = false;
    }
  }

  private sendingTo(system: string): number {
    let sending = 0;
    for (const send of this.inFlight.values()) if (send.system === system) sending++;
    return sending;
  }

  private launch(target: LiveTarget, delivery: ClaimedDelivery): void {
    const abort = new AbortController();
    const stopRenewing = keepLease(() => this.store.renewLease(delivery, this.settings.leaseMs), this.settings.leaseMs, abort);
    const done = inAttemptSpan(delivery, () => this.deliver(target, delivery, abort.signal))
      .catch((err: unknown) => this.logger.error({ err, delivery: delivery.id }, 'could not record a delivery outcome'))
      .finally(() => {
        stopRenewing();
        this.inFlight.delete(delivery.id);
        this.wake();
      });
    this.inFlight.set(delivery.id, { system: target.name, abort, done });
  }

  private async deliver(target: LiveTarget, delivery: ClaimedDelivery, signal: AbortSignal): Promise<void> {
    const log = this.logger.child({ delivery: delivery.id, target: delivery.target, attempt: delivery.attempts + 1 });
    const breaker = target.breakerFor(delivery);
    if (breaker.state === 'open') return this.postpone(delivery, breaker.resetTimeoutMs);
    const context = { saveProgress: (progress: Progress) => this.store.saveProgress(delivery, progress), signal };
    try {
      const sent = delivery.withdrawn ? await target.findRecorded?.(delivery, context) : await target.send(delivery, context);
      if (!sent) return await this.withdraw(target, delivery, log);
      await this.store.markDelivered(delivery, sent.acknowledgment, sent.summary, {
        returnable: this.targets.has(laneOf({ name: target.name, kind: 'return' })),
        event: delivery.withdrawn ? undefined : target.whenDelivered?.(delivery, sent.acknowledgment),
      });
      this.outcome(delivery, 'delivered');
      log.info({ summary: sent.summary }, delivery.withdrawn ? 'delivered before its cancellation: to be returned' : 'delivered');
    } catch (err) {
      await this.recordFailure(target, delivery, err, signal, log);
    }
  }

  /** A cancelled sale its target never recorded: nothing to send or return. */
  private async withdraw(target: LiveTarget, delivery: ClaimedDelivery, log: Logger): Promise<void> {
    await this.store.markWithdrawn(delivery, `${target.name} has no record of the sale: withdrawn, nothing to return`, target.whenWithdrawn?.(saleOf(delivery)));
    this.outcome(delivery, 'withdrawn');
    log.info('the cancelled sale was never recorded: withdrawn');
  }

  private async recordFailure(target: LiveTarget, delivery: ClaimedDelivery, err: unknown, signal: AbortSignal, log: Logger): Promise<void> {
    if (err instanceof LeaseLostError) return void log.warn('another dispatcher took this delivery over');
    if (signal.reason instanceof LeaseNotKeptError) return void log.warn('the lease could not be kept: attempt stopped, for another dispatcher to resume');
    if (signal.aborted) return this.store.release(delivery, 0);
    if (err instanceof BreakerOpenError) return this.postpone(delivery, target.breakerFor(delivery).resetTimeoutMs);
    if (err instanceof DownstreamError && err.busy) return this.postpone(delivery, err.retryAfterMs ?? this.settings.baseMs);
    const attempt = delivery.attempts + 1;
    const permanent = err instanceof UndeliverableError || (err instanceof DownstreamError && err.permanent);
    const retryInMs = this.retryDelay(target, attempt);
    const dead = permanent || retryInMs === undefined;
    const error = err instanceof Error ? err.message : String(err);
    const failure = { attempt, error, dead, retryInMs: retryInMs ?? 0 };
    await this.store.markFailed(delivery, failure, dead ? target.whenDead?.(delivery) : undefined);
    this.outcome(delivery, dead ? 'dead' : 'retry', error);
    if (dead) log.warn({ error }, permanent ? 'delivery refused: dead until staff retry it' : 'delivery failed too often: dead');
    else log.info({ error }, 'delivery attempt failed; will retry');
  }

  private outcome(delivery: ClaimedDelivery, outcome: DeliveryOutcome, error?: string): void {
    this.observe(delivery.target, outcome);
    noteAttemptOutcome(outcome, error);
  }

  /** The target's own schedule, or the outbox's backoff up to its attempt limit. */
  private retryDelay(target: LiveTarget, failedAttempts: number): number | undefined {
    if (target.retryDelayMs) return target.retryDelayMs(failedAttempts);
    return failedAttempts >= this.settings.maxAttempts ? undefined : retryDelayMs(failedAttempts, this.settings);
  }

  /**
   * Not sent, or refused before the target did anything, without spending an attempt: an open breaker lets a
   * trial call through after its reset time, a target too busy (429) said how long to wait; the delivery waits
   * about that long (its progress kept).
   */
  private async postpone(delivery: ClaimedDelivery, waitMs: number): Promise<void> {
    await this.store.release(delivery, waitMs * (1 + Math.random() / 2));
    this.outcome(delivery, 'postponed');
  }
}
