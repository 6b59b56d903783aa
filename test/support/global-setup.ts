import knexFactory from 'knex';
import { migrateToLatest } from '../../src/platform/migrations';

/** On PostgreSQL, migrates the database DATABASE_URL names once; each test file clones it. */
export default async function globalSetup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const knex = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  try {
    await migrateToLatest(knex);
  } finally {
    await knex.destroy();
  }
}
