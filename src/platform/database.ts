import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import type { Logger } from 'pino';
import type { Config } from './config';
import { lockDirectory } from './directory-lock';

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

export function createDatabase(settings: Config['database'], logger?: Logger): Database {
  const log = knexLog(logger);
  if (settings.url) {
    const knex = connectToPostgres(settings.url, settings.poolMax, log);
    return { knex, engine: 'postgres', close: () => knex.destroy() };
  }
  const unlock = settings.pgliteDir === IN_MEMORY ? () => undefined : lockDirectory(prepareDirectory(settings.pgliteDir));
  const knex = openPglite(settings.pgliteDir, log);
  return { knex, engine: 'pglite', close: () => knex.destroy().finally(unlock) };
}

function prepareDirectory(dir: string): string {
  const absolute = path.resolve(dir);
  fs.mkdirSync(absolute, { recursive: true });
  return absolute;
}

function connectToPostgres(url: string, poolMax: number, log: Knex.Config['log']): Knex {
  return knexFactory({
    log,
    client: 'pg',
    connection: url,
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: POSTGRES_ACQUIRE_TIMEOUT_MS,
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
