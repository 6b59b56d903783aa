import type { Logger } from 'pino';
import { PeriodicJob } from '../../platform/periodic-job';
import type { LatencyRecorder } from './latency-recorder';
import type { LatencyStore } from './latency-store';
import { hourOf, MAX_WINDOW_MS, rollUpHorizon } from './slo-window';

/** A crash loses at most this long of a process's answers from the SLO. */
export const LATENCY_FLUSH_INTERVAL_MS = 15_000;
const LATENCY_UPKEEP_INTERVAL_MS = 10 * 60_000;

/** Adds this process's answers to the shared per-minute table every 15 s, and once more on shutdown. */
export function flushLatency(recorder: LatencyRecorder, logger: Logger): PeriodicJob {
  return new PeriodicJob('latency flush', LATENCY_FLUSH_INTERVAL_MS, () => recorder.flush(), logger, { runOnStop: true });
}

/**
 * Rolls the minutes older than the shorter windows need up into hours, and deletes what no report window
 * reaches any more (30 days before the current hour). Every process runs it: each step is safe beside
 * the same step in another process.
 */
export function keepLatencyTables(store: LatencyStore, now: () => number, logger: Logger): PeriodicJob {
  return new PeriodicJob(
    'latency upkeep',
    LATENCY_UPKEEP_INTERVAL_MS,
    async () => {
      const rolledUp = await store.rollUpBefore(rollUpHorizon(now()));
      const pruned = await store.pruneBefore(hourOf(now() - MAX_WINDOW_MS));
      if (rolledUp + pruned > 0) logger.debug({ rolledUp, pruned }, 'latency minutes rolled up into hours, rows older than the longest SLO window pruned');
    },
    logger,
  );
}
