import { parseDuration } from '../../platform/duration';
import { Problem } from '../../platform/problem';

const HOUR_MS = 3_600_000;
export const MAX_WINDOW_MS = 30 * 86_400_000;
/**
 * How long answers stay counted by the minute: past the 6 h burn-rate window, so that the windows up to
 * it count exact minutes. Older minutes are rolled up into hours.
 */
const MINUTES_KEPT_MS = 7 * HOUR_MS;
/** The alerting windows of a multi-window, multi-burn-rate alert (Google SRE workbook). */
export const BURN_RATE_WINDOWS = ['5m', '1h', '6h', '3d'];
/** The SLO's period: the longest window, and how far back the per-minute counts are kept. */
export const BUDGET_WINDOW = '30d';

/** A report window (`1m` to `30d`) in milliseconds; the OpenAPI pattern has already checked its form. */
export function sloWindowMs(window: string): number {
  const ms = parseDuration(window);
  if (ms === undefined) throw new Problem('validation_failed', `window must be a duration such as 15m, 6h or 7d, not ${window}.`);
  if (ms > MAX_WINDOW_MS) throw new Problem('window_too_long', `The SLO report covers at most ${BUDGET_WINDOW}; ${window} is longer.`);
  return ms;
}

export const hourOf = (ms: number) => new Date(Math.floor(ms / HOUR_MS) * HOUR_MS);

/** Minutes before this one are rolled up into their hours (at `now`). */
export const rollUpHorizon = (now: number) => hourOf(now - MINUTES_KEPT_MS);

/**
 * Where a window that reaches back to the minute `since` starts counting: at that minute, or, once its hour
 * is rolled up, at the start of its hour (a 3-day window then counts up to 59 minutes more).
 */
export const windowStart = (since: Date, now: number) => (since < rollUpHorizon(now) ? hourOf(since.getTime()) : since);
