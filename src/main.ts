import { buildGateway } from './gateway';
import type { AdminKeyBootstrap } from './features/api-keys/api-key-service';
import { ConfigError, loadConfig } from './platform/config';
import { createDatabase } from './platform/database';
import { startHttpServer } from './platform/http-server';
import { createLogger } from './platform/logger';
import { migrateToLatest } from './platform/migrations';
import { onShutdownSignal } from './platform/shutdown';

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

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = createDatabase(config.database, logger);
  await migrateToLatest(database.knex);
  logger.info(
    { database: database.engine, ...(database.engine === 'pglite' && { dir: config.database.pgliteDir }) },
    'database ready',
  );

  const gateway = buildGateway({ config, db: database.knex, logger });
  announceAdminKey(await gateway.apiKeys.ensureAdminKey(config.adminApiKey));
  const server = await startHttpServer(gateway.app, config.port);
  gateway.sweeper.start();
  logger.info({ port: server.port }, 'gateway listening');

  onShutdownSignal(logger, async () => {
    await server.close();
    await gateway.sweeper.stop();
    await database.close();
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
