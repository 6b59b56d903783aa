import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { createDatabase } from '../../src/platform/database';
import { migratedPgliteInMemory } from './pglite-template';

/**
 * A fresh, migrated database for one test file. With DATABASE_URL set it is a PostgreSQL database cloned
 * from the one DATABASE_URL names (migrated once by the global setup); otherwise an in-memory PGlite.
 */
export type TestDatabase = { knex: Knex; engine: 'postgres' | 'pglite'; url?: string; close(): Promise<void> };

const TEST_ACQUIRE_TIMEOUT_MS = 30_000;

export const onPostgres = (): boolean => Boolean(process.env.DATABASE_URL);

export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export const templateName = (url: string): string => new URL(url).pathname.slice(1);

export function maintenanceConnection(url: string): Knex {
  return knexFactory({ client: 'pg', connection: withDatabaseName(url, 'postgres'), pool: { min: 0, max: 1 } });
}

export async function createTestDatabase(options: { poolMax?: number; migrated?: boolean } = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  const url = process.env.DATABASE_URL;
  if (!url) {
    if (migrated) {
      const knex = await migratedPgliteInMemory();
      return { knex, engine: 'pglite', close: () => knex.destroy() };
    }
    const database = createDatabase({ pgliteDir: 'memory://', poolMax: 1 });
    return { knex: database.knex, engine: 'pglite', close: database.close };
  }
  const name = `${templateName(url)}_${randomBytes(5).toString('hex')}`;
  const admin = maintenanceConnection(url);
  await admin.raw(`CREATE DATABASE ${name} TEMPLATE ${migrated ? templateName(url) : 'template0'}`);
  const fileUrl = withDatabaseName(url, name);
  // A new connection to a loaded CI machine's PostgreSQL can take longer than production's 4 s wait for one.
  const database = createDatabase({ url: fileUrl, pgliteDir: '', poolMax: options.poolMax ?? 20 }, undefined, TEST_ACQUIRE_TIMEOUT_MS);
  return {
    knex: database.knex,
    engine: 'postgres',
    url: fileUrl,
    close: async () => {
      await database.close();
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

/** `describe` on PostgreSQL; on PGlite, `describe.skip` with a warning saying why the suite needs a server. */
export function postgresOnly(why: string): jest.Describe {
  if (onPostgres()) return describe;
  console.warn(`skipped on PGlite: ${why} (set DATABASE_URL to run it)`);
  return describe.skip;
}
