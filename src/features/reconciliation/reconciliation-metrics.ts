import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import { scraped } from '../monitoring/gateway-metrics';
import { MISMATCH_KINDS, RECONCILED_TARGETS } from './reconciliation';
import type { LatestRun, ReconciliationStore } from './reconciliation-store';

/**
 * The latest reconciliation run's findings, by whichever process ran it (an API call, the CLI): read from
 * the database when scraped, so every gateway shows the same. Absent until the first run.
 */
export function registerReconciliationMetrics({ registry, runs, logger }: { registry: Registry; runs: ReconciliationStore; logger: Logger }): void {
  // The three gauges are collected together: they share one read of the latest run.
  let reading: Promise<LatestRun | undefined> | undefined;
  const latest = () => {
    reading ??= scraped(logger, 'the latest reconciliation run', () => runs.latestRun()).finally(() => {
      reading = undefined;
    });
    return reading;
  };

  new Gauge({
    name: 'ticket_gateway_reconciliation_mismatches',
    help: 'Mismatches the latest reconciliation run found, by kind (missing_order, quantity_mismatch, ...).',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      const run = await latest();
      if (run) for (const kind of MISMATCH_KINDS) this.set({ kind }, run.mismatches[kind] ?? 0);
    },
  });
  new Gauge({
    name: 'ticket_gateway_reconciliation_unchecked_deliveries',
    help: 'Deliveries the latest reconciliation run could not check (system unreachable, not configured, out of time), per target.',
    labelNames: ['target'],
    registers: [registry],
    async collect() {
      const run = await latest();
      if (run) for (const target of RECONCILED_TARGETS) this.set({ target }, run.unchecked[target] ?? 0);
    },
  });
  new Gauge({
    name: 'ticket_gateway_reconciliation_last_run_timestamp_seconds',
    help: 'When the latest reconciliation run finished (Unix time).',
    registers: [registry],
    async collect() {
      const run = await latest();
      if (run) this.set(run.finishedAt.getTime() / 1000);
    },
  });
}
