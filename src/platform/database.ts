import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
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

export function createDatabase(settings: Config['database']): Database {
  if (settings.url) {
    const knex = connectToPostgres(settings.url, settings.poolMax);
    return { knex, engine: 'postgres', close: () => knex.destroy() };
  }
  const unlock = settings.pgliteDir === IN_MEMORY ? () => undefined : lockDirectory(prepareDirectory(settings.pgliteDir));
  const knex = openPglite(settings.pgliteDir);
  return { knex, engine: 'pglite', close: () => knex.destroy().finally(unlock) };
}

function prepareDirectory(dir: string): string {
  const absolute = path.resolve(dir);
  fs.mkdirSync(absolute, { recursive: true });
  return absolute;
}

function connectToPostgres(url: string, poolMax: number): Knex {
  return knexFactory({
    client: 'pg',
    connection: url,
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 10_000,
  });
}

function openPglite(dir: string): Knex {
  return knexFactory({
    client: ClientPgLite,
    connection: dir === IN_MEMORY ? {} : { filename: path.resolve(dir) },
    acquireConnectionTimeout: 10_000,
  } as Knex.Config);
}
