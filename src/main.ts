import { startBackgroundWork } from './background-work';
import type { AdminKeyBootstrap } from './features/api-keys/api-key-service';
import { buildGateway } from './gateway';
import { startHttpServer } from './platform/http-server';
import { onShutdownSignal } from './platform/shutdown';
import { closeRuntime, openRuntime, runMain } from './runtime';

function announceAdminKey(bootstrap: AdminKeyBootstrap): void {
  if (bootstrap.outcome !== 'generated') return;
  process.stdout.write(
    [
      '',
      '  No admin API key existed, so one was created. It is shown this once; store it now:',
      '',
      `    ${bootstrap.key}`,
      '',
      '  Use it as X-Api-Key to create partner, inventory, staff and monitor keys (POST /v1/api-keys).',
      '',
    ].join('\n') + '\n',
  );
}

/** `npm start`: the HTTP gateway, its periodic jobs and (unless DISPATCHER=off) the delivery dispatcher. */
runMain(async () => {
  const runtime = await openRuntime('gateway');
  const { config, logger, database, downstream } = runtime;
  const gateway = buildGateway({
    config,
    db: database.knex,
    databaseEngine: database.engine,
    logger,
    downstream: downstream.settings,
    deliveries: config.deliveries,
  });
  announceAdminKey(await gateway.apiKeys.ensureAdminKey(config.adminApiKey));
  const server = await startHttpServer(gateway.app, config.port);
  const background = await startBackgroundWork({
    outbox: gateway.outbox,
    jobs: [gateway.jobs.holdExpiry, gateway.jobs.customerData],
    slo: gateway.slo,
    databaseUrl: config.database.url,
    dispatcher: config.deliveries.dispatcher,
    logger,
  });
  logger.info({ port: server.port }, 'gateway listening');

  onShutdownSignal(logger, async () => {
    await server.close();
    await background.stop();
    await closeRuntime(runtime);
  });
});
