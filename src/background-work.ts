import type { Logger } from 'pino';
import { DELIVERIES_CHANNEL } from './features/deliveries/deliveries-signal';
import type { Outbox } from './outbox';
import type { PeriodicJob } from './platform/periodic-job';
import { PostgresListener } from './platform/postgres-listener';

/** In-flight deliveries get this long to finish on shutdown; the rest are handed back, progress kept. */
export const DISPATCHER_GRACE_MS = 5_000;

export type BackgroundWork = { stop(): Promise<void> };

/**
 * Starts the periodic jobs and, unless disabled, the dispatcher, woken by other processes' invoices
 * through LISTEN/NOTIFY on PostgreSQL (on PGlite there is only this process, which wakes it directly).
 */
export async function startBackgroundWork(options: {
  outbox: Outbox;
  /** Stopped after the dispatcher (those that run on stop, such as the latency flush, run once more). */
  jobs: PeriodicJob[];
  databaseUrl?: string;
  dispatcher: boolean;
  logger: Logger;
}): Promise<BackgroundWork> {
  const { outbox, jobs, logger } = options;
  for (const job of jobs) job.start();
  const listener =
    options.dispatcher && options.databaseUrl
      ? new PostgresListener(options.databaseUrl, DELIVERIES_CHANNEL, () => outbox.dispatcher.wake(), logger)
      : undefined;
  await listener?.start();
  if (options.dispatcher) outbox.dispatcher.start();
  logger.info({ dispatcher: options.dispatcher }, options.dispatcher ? 'dispatcher running' : 'dispatcher off (DISPATCHER=off)');
  return {
    stop: async () => {
      await listener?.stop();
      await outbox.dispatcher.stop(DISPATCHER_GRACE_MS);
      await Promise.all(jobs.map((job) => job.stop()));
      outbox.shutdown();
    },
  };
}
