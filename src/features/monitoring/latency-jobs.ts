import type { Logger } from 'pino';
import { PeriodicJob } from '../../platform/periodic-job';
import { type LatencyRecorder, minuteOf } from './latency-recorder';
import type { LatencyStore } from './latency-store';
import { MAX_WINDOW_MS } from './slo-window';

/** A crash loses at most this long of a process's answers from the SLO. */
export const LATENCY_FLUSH_INTERVAL_MS = 15_000;
const LATENCY_PRUNE_INTERVAL_MS = 10 * 60_000;

/** Adds this process's answers to the shared per-minute table every 15 s, and once more on shutdown. */
export function flushLatency(recorder: LatencyRecorder, logger: Logger): PeriodicJob {
  return new PeriodicJob('latency flush', LATENCY_FLUSH_INTERVAL_MS, () => recorder.flush(), logger, { runOnStop: true });
}

/**
 * Deletes the minutes no report window reaches any more (30 days before the current minute). Every
 * process runs it: deleting rows another process is deleting too just finds them gone.
 */
export function pruneLatency(store: LatencyStore, now: () => number, logger: Logger): PeriodicJob {
  return new PeriodicJob(
    'latency pruning',
    LATENCY_PRUNE_INTERVAL_MS,
    async () => {
      const pruned = await store.pruneBefore(minuteOf(now() - MAX_WINDOW_MS));
      if (pruned > 0) logger.debug({ pruned }, 'pruned latency minutes older than the longest SLO window');
    },
    logger,
  );
}
