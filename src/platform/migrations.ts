import path from 'node:path';
import type { Knex } from 'knex';

/** Migrations are TypeScript in the source tree and JavaScript once built; load whichever runs. */
const migrationConfig: Knex.MigratorConfig = {
  directory: path.resolve(__dirname, '..', '..', 'migrations'),
  loadExtensions: [path.extname(__filename)],
  tableName: 'knex_migrations',
};

export async function migrateToLatest(knex: Knex): Promise<void> {
  await knex.migrate.latest(migrationConfig);
}

export async function pendingMigrationCount(knex: Knex): Promise<number> {
  const [, pending] = (await knex.migrate.list(migrationConfig)) as [unknown[], unknown[]];
  return pending.length;
}
