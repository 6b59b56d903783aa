import type { Logger } from 'pino';
import type { DownstreamResolver, ResolvedDownstream } from './downstream/downstream-settings';
import { type Config, ConfigError, loadConfig } from './platform/config';
import { type Database, openDatabase } from './platform/database';
import { createLogger } from './platform/logger';
import { migrateToLatest } from './platform/migrations';
import { StartupError } from './platform/startup-error';
import { stopTracing } from './tracing';

export type Runtime = { config: Config; logger: Logger; database: Database; downstream: ResolvedDownstream };

/** What every long-running process starts with: configuration, a migrated database, the downstream targets. */
export async function openRuntime(processName: string, resolveDownstream: DownstreamResolver): Promise<Runtime> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel).child({ process: processName });
  const database = await openDatabase(config.database, logger);
  await migrateToLatest(database.knex);
  logger.info(
    { database: database.engine, ...(database.engine === 'pglite' && { dir: config.database.pgliteDir }) },
    'database ready',
  );
  return { config, logger, database, downstream: await resolveDownstream(config, logger) };
}

export async function closeRuntime(runtime: Runtime): Promise<void> {
  await runtime.downstream.close();
  await runtime.database.close();
  await stopTracing();
}

/**
 * Runs a process's main function; a start-up failure prints why and exits 1: just the message when it
 * names the cause (bad configuration, a database or port it cannot use), else the stack.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    const known = err instanceof ConfigError || err instanceof StartupError;
    process.stderr.write(`${known ? err.message : (err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
