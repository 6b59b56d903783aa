import type { Logger } from 'pino';
import { PeriodicJob } from '../../platform/periodic-job';
import type { HoldStore } from './hold-store';

/** Expired holds return their tickets within about this long after `expires_at`. */
export const SWEEP_INTERVAL_MS = 500;
const LISTINGS_PER_SWEEP = 200;

/** Expires the due holds of the given listings (or of any), one listing per statement; answers how many. */
export async function expireDueHolds(holds: HoldStore, among?: string[]): Promise<number> {
  let expired = 0;
  for (const remoteId of await holds.listingsWithDueHolds(LISTINGS_PER_SWEEP, among)) expired += await holds.expireDue(remoteId);
  return expired;
}

/**
 * Returns the tickets of expired holds without waiting for a request. Each listing is swept in its own
 * statement so that a sweep never holds two listings' locks at once (no deadlock with other writers);
 * SKIP LOCKED lets several gateways sweep side by side.
 */
export function sweepExpiredHolds(holds: HoldStore, logger: Logger): PeriodicJob {
  return new PeriodicJob(
    'hold expiry sweep',
    SWEEP_INTERVAL_MS,
    async () => {
      const expired = await expireDueHolds(holds);
      if (expired > 0) logger.info({ expired }, 'expired holds returned their tickets');
    },
    logger,
  );
}
