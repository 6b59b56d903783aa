import knexFactory from 'knex';
import { migrateToLatest } from '../../src/platform/migrations';
import { createPgliteTemplate } from './pglite-template';

/**
 * Migrates once what each test file's database is a copy of: on PostgreSQL the database DATABASE_URL
 * names, on PGlite a template of the run's own.
 */
export default async function globalSetup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) return createPgliteTemplate();
  const knex = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  try {
    await migrateToLatest(knex);
  } finally {
    await knex.destroy();
  }
}
