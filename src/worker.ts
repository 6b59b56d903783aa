import './tracing';
import { startBackgroundWork } from './background-work';
import { configuredDownstream } from './downstream/downstream-settings';
import { scrubCustomerData } from './features/invoices/customer-data-scrubber';
import { InvoiceStore } from './features/invoices/invoice-store';
import { resolveWebhookSettings } from './features/webhooks/webhook-secret-key';
import { buildOutbox } from './outbox';
import { onShutdownSignal } from './platform/shutdown';
import { closeRuntime, openRuntime, runMain } from './runtime';

/**
 * `npm run worker`: the delivery dispatcher alone, beside gateways run with DISPATCHER=off (or not).
 * It needs PostgreSQL (PGlite serves one process) and the real downstream systems (never simulators).
 */
runMain(async () => {
  const runtime = await openRuntime('worker', configuredDownstream);
  const { config, logger, database, downstream } = runtime;
  const outbox = buildOutbox({
    db: database.knex,
    logger,
    downstream: downstream.settings,
    deliveries: config.deliveries,
    webhooks: resolveWebhookSettings(config, logger),
    dispatcherSettings: { pollIntervalMs: config.dispatcherPollMs },
  });
  const background = await startBackgroundWork({
    outbox,
    jobs: [scrubCustomerData(new InvoiceStore(database.knex), config.piiRetentionDays, logger)],
    databaseUrl: config.database.url,
    dispatcher: true,
    logger,
  });
  logger.info('worker running');
  onShutdownSignal(logger, async () => {
    await background.stop();
    await closeRuntime(runtime);
  });
});
