import type { Logger } from 'pino';
import type { HoldStore } from './hold-store';

/** Expired holds return their tickets within about this long after `expires_at`. */
export const SWEEP_INTERVAL_MS = 500;
const LISTINGS_PER_SWEEP = 200;

/**
 * Returns the tickets of expired holds without waiting for a request. Each listing is swept in its own
 * statement so that a sweep never holds two listings' locks at once (no deadlock with other writers);
 * SKIP LOCKED lets several gateways sweep side by side.
 */
export class HoldExpirySweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly holds: HoldStore,
    private readonly logger: Logger,
    private readonly intervalMs = SWEEP_INTERVAL_MS,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .then(() => undefined, (err: unknown) => this.logger.warn({ err }, 'hold expiry sweep failed; retrying next tick'))
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async sweep(): Promise<number> {
    let expired = 0;
    for (const remoteId of await this.holds.listingsWithDueHolds(LISTINGS_PER_SWEEP)) {
      expired += await this.holds.expireDue(remoteId);
    }
    if (expired > 0) this.logger.info({ expired }, 'expired holds returned their tickets');
    return expired;
  }
}
