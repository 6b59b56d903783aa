import { setTimeout as sleep } from 'node:timers/promises';
import { DownstreamError } from './downstream-error';

/** Refusals of one call waited out before the attempt gives up (the dispatcher then postpones the delivery). */
const BUSY_RETRIES = 3;
/** The wait when a 429 names none. */
const DEFAULT_RETRY_AFTER_MS = 1_000;
/** The longest wait within a call, whatever the target asks: a longer one is the dispatcher's to wait, not a held slot's. */
const MAX_RETRY_AFTER_MS = 5_000;

const isBusy = (err: unknown): err is DownstreamError => err instanceof DownstreamError && err.busy;

/**
 * Makes the call again after a `429` (too many calls at once), as long as its `Retry-After` says (jittered
 * up to a quarter more, so that refused calls do not return together), up to three times. A 429 is a
 * refusal before the target did anything, so every call, a checkout too, is safe to repeat.
 */
export async function retryWhileBusy<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let refusals = 0; ; refusals++) {
    try {
      return await call();
    } catch (err) {
      if (!isBusy(err) || refusals >= BUSY_RETRIES) throw err;
      const waitMs = Math.min(err.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS, MAX_RETRY_AFTER_MS);
      await sleep(waitMs * (1 + Math.random() / 4), undefined, { signal });
    }
  }
}
