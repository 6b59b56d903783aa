import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import type { Logger } from 'pino';
import type { Config } from './config';
import { lockDirectory } from './directory-lock';
import { StartupError } from './startup-error';

export type DatabaseEngine = 'postgres' | 'pglite';

export type Database = {
  knex: Knex;
  engine: DatabaseEngine;
  close(): Promise<void>;
};

/** PGlite keeps its data in a folder, or in memory with `memory://`. */
const IN_MEMORY = 'memory://';
/** A request waits this long for a PostgreSQL connection before the database counts as unavailable. */
const POSTGRES_ACQUIRE_TIMEOUT_MS = 4_000;
const PGLITE_ACQUIRE_TIMEOUT_MS = 60_000;

/** Routes knex's own warnings (e.g. a failed connection attempt) to the gateway's log. */
function knexLog(logger?: Logger): Knex.Config['log'] {
  const write = (level: 'warn' | 'error' | 'debug') => (message: unknown) => logger?.[level]({ knex: message }, 'database driver');
  return { warn: write('warn'), error: write('error'), debug: write('debug'), deprecate: write('warn') };
}

/** `acquireTimeoutMs` overrides how long a PostgreSQL connection is waited for (tests on a loaded machine). */
export function createDatabase(settings: Config['database'], logger?: Logger, acquireTimeoutMs = POSTGRES_ACQUIRE_TIMEOUT_MS): Database {
  const log = knexLog(logger);
  if (settings.url) {
    const knex = connectToPostgres(settings.url, settings.poolMax, acquireTimeoutMs, log);
    return { knex, engine: 'postgres', close: () => knex.destroy() };
  }
  const unlock = settings.pgliteDir === IN_MEMORY ? () => undefined : lockDirectory(prepareDirectory(settings.pgliteDir));
  const knex = openPglite(settings.pgliteDir, log);
  return { knex, engine: 'pglite', close: () => knex.destroy().finally(unlock) };
}

/**
 * Opens the database and makes sure it answers; a database that cannot be reached or opened stops
 * start-up with one line naming the setting (never the password).
 */
export async function openDatabase(settings: Config['database'], logger?: Logger): Promise<Database> {
  const database = createDatabase(settings, logger);
  try {
    await database.knex.raw('SELECT 1');
    return database;
  } catch (err) {
    await database.close().catch(() => undefined);
    throw new StartupError(
      settings.url
        ? `DATABASE_URL: cannot connect to PostgreSQL at ${describeLocation(settings.url)}: ${(err as Error).message}`
        : `PGLITE_DIR: cannot open the PGlite data in ${path.resolve(settings.pgliteDir)}: ${(err as Error).message}`,
    );
  }
}

function describeLocation(url: string): string {
  const { hostname, port, pathname } = new URL(url);
  return `${hostname}:${port || 5432}${pathname}`;
}

function prepareDirectory(dir: string): string {
  const absolute = path.resolve(dir);
  try {
    fs.mkdirSync(absolute, { recursive: true });
    fs.accessSync(absolute, fs.constants.W_OK);
  } catch (err) {
    throw new StartupError(`PGLITE_DIR: cannot write to ${absolute} (${(err as NodeJS.ErrnoException).code}); set it to a writable folder`);
  }
  return absolute;
}

function connectToPostgres(url: string, poolMax: number, acquireTimeoutMs: number, log: Knex.Config['log']): Knex {
  return knexFactory({
    log,
    client: 'pg',
    connection: url,
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: acquireTimeoutMs,
  });
}

function openPglite(dir: string, log: Knex.Config['log']): Knex {
  return knexFactory({
    log,
    client: ClientPgLite,
    connection: dir === IN_MEMORY ? {} : { filename: path.resolve(dir) },
    // The one connection is PGlite itself: the first acquisition waits for it to start, later ones for
    // the transaction ahead to finish.
    acquireConnectionTimeout: PGLITE_ACQUIRE_TIMEOUT_MS,
  } as Knex.Config);
}
