import type { Logger } from 'pino';
import { resolveDownstream, type ResolvedDownstream } from './downstream/downstream-settings';
import { type Config, ConfigError, loadConfig } from './platform/config';
import { createDatabase, type Database } from './platform/database';
import { createLogger } from './platform/logger';
import { migrateToLatest } from './platform/migrations';

export type Runtime = { config: Config; logger: Logger; database: Database; downstream: ResolvedDownstream };

/** What every long-running process starts with: configuration, a migrated database, the downstream targets. */
export async function openRuntime(processName: string): Promise<Runtime> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel).child({ process: processName });
  const database = createDatabase(config.database, logger);
  await migrateToLatest(database.knex);
  logger.info(
    { database: database.engine, ...(database.engine === 'pglite' && { dir: config.database.pgliteDir }) },
    'database ready',
  );
  return { config, logger, database, downstream: await resolveDownstream(config.downstream, logger) };
}

export async function closeRuntime(runtime: Runtime): Promise<void> {
  await runtime.downstream.close();
  await runtime.database.close();
}

/** Runs a process's main function; a start-up failure prints why (just the message for bad configuration) and exits 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
