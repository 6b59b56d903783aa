import { parseDuration } from '../../platform/duration';
import { Problem } from '../../platform/problem';

export const MAX_WINDOW_MS = 30 * 86_400_000;
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
