import { Problem } from '../../platform/problem';
import type { ReconciliationWindow } from './reconciliation';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The longest window one run covers. */
export const MAX_WINDOW_DAYS = 31;
/** Without `from`, a run covers this much before `to`. */
export const DEFAULT_WINDOW_MS = DAY_MS;

/**
 * The window a run covers: `to` defaults to now and `from` to 24 hours before `to`; `from` must be before
 * `to`, and the window at most 31 days long.
 */
export function reconciliationWindow(asked: { from?: string | Date; to?: string | Date }, now: Date): ReconciliationWindow {
  const to = asked.to === undefined ? now : new Date(asked.to);
  const from = asked.from === undefined ? new Date(to.getTime() - DEFAULT_WINDOW_MS) : new Date(asked.from);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new Problem('invalid_window', 'from and to must be timestamps.');
  if (from >= to) throw new Problem('invalid_window', `The window must start before it ends (from ${from.toISOString()}, to ${to.toISOString()}).`);
  const days = (to.getTime() - from.getTime()) / DAY_MS;
  if (days > MAX_WINDOW_DAYS) {
    throw new Problem('window_too_long', `A reconciliation covers at most ${MAX_WINDOW_DAYS} days; this window covers ${Math.ceil(days)}.`);
  }
  return { from, to };
}
