export type BackoffSettings = { baseMs: number; maxMs: number };

/**
 * Exponential backoff with full jitter: the wait before attempt n+1 is uniform in
 * [0, min(max, base * 2^(n-1))], which spreads retries of many deliveries that failed together.
 */
export function retryDelayMs(failedAttempts: number, settings: BackoffSettings, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.maxMs, settings.baseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(random() * ceiling);
}
