import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import type { Config } from './config';

export type DatabaseEngine = 'postgres' | 'pglite';

export type Database = {
  knex: Knex;
  engine: DatabaseEngine;
  close(): Promise<void>;
};

/** PGlite keeps its data in a folder, or in memory with `memory://`. */
const IN_MEMORY = 'memory://';

export function createDatabase(settings: Config['database']): Database {
  const knex = settings.url ? connectToPostgres(settings.url, settings.poolMax) : openPglite(settings.pgliteDir);
  return {
    knex,
    engine: settings.url ? 'postgres' : 'pglite',
    close: () => knex.destroy(),
  };
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
  if (dir !== IN_MEMORY) fs.mkdirSync(path.resolve(dir), { recursive: true });
  return knexFactory({
    client: ClientPgLite,
    connection: dir === IN_MEMORY ? {} : { filename: path.resolve(dir) },
    acquireConnectionTimeout: 10_000,
  } as Knex.Config);
}
