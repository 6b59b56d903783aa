import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { startBackgroundWork } from './background-work';
import { announceAdminKey } from './features/api-keys/admin-key-announcement';
import type { DownstreamResolver } from './downstream/downstream-settings';
import { resolveWebhookSettings, type WebhookSettings } from './features/webhooks/webhook-secret-key';
import { buildGateway } from './gateway';
import { startHttpServer } from './platform/http-server';
import { onShutdownSignal } from './platform/shutdown';
import { closeRuntime, openRuntime } from './runtime';

/** Something the demo runs beside the gateway (a local webhook sink), stopped with it. */
export type Companion = (context: { db: Knex; webhooks: WebhookSettings; logger: Logger }) => Promise<{ close(): Promise<void> }>;

/** The HTTP gateway, its periodic jobs and (unless DISPATCHER=off) the delivery dispatcher, until a signal stops it. */
export async function runGateway(resolveDownstream: DownstreamResolver, companion?: Companion): Promise<void> {
  const runtime = await openRuntime('gateway', resolveDownstream);
  const { config, logger, database, downstream } = runtime;
  const webhooks = resolveWebhookSettings(config, logger);
  const gateway = buildGateway({
    config,
    db: database.knex,
    databaseEngine: database.engine,
    logger,
    downstream: downstream.settings,
    deliveries: config.deliveries,
    webhooks,
    dispatcherSettings: { pollIntervalMs: config.dispatcherPollMs },
  });
  // Listening first: a key is created and shown only by a gateway that is serving (a port in use stops it before).
  const server = await startHttpServer(gateway.app, config.port, config.httpTimeouts);
  announceAdminKey(await gateway.apiKeys.ensureAdminKey(config.adminApiKey), logger);
  const companionRunning = await companion?.({ db: database.knex, webhooks, logger });
  const background = await startBackgroundWork({
    outbox: gateway.outbox,
    jobs: Object.values(gateway.jobs),
    databaseUrl: config.database.url,
    dispatcher: config.deliveries.dispatcher,
    logger,
  });
  const origin = `http://localhost:${server.port}`;
  logger.info({ port: server.port, docs: `${origin}/docs`, console: `${origin}/console` }, 'gateway listening');

  onShutdownSignal(logger, async () => {
    await server.close();
    await background.stop();
    await companionRunning?.close();
    await closeRuntime(runtime);
  });
}
