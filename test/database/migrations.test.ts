import fs from 'node:fs';
import path from 'node:path';
import { createTestDatabase } from '../support/test-database';
import { migrateToLatest, pendingMigrationCount } from '../../src/platform/migrations';

describe('migrations', () => {
  it('when run up, all the way down and up again, then each step succeeds and none is left pending', async () => {
    const database = await createTestDatabase({ migrated: false });
    try {
      expect(await pendingMigrationCount(database.knex)).toBeGreaterThan(0);
      await migrateToLatest(database.knex);
      expect(await pendingMigrationCount(database.knex)).toBe(0);

      await database.knex.migrate.rollback({ directory: 'migrations', loadExtensions: ['.ts'] }, true);
      const { rows } = await database.knex.raw<{ rows: unknown[] }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'knex%'",
      );
      expect(rows).toEqual([]);

      await migrateToLatest(database.knex);
      expect(await pendingMigrationCount(database.knex)).toBe(0);
    } finally {
      await database.close();
    }
  });

  it('when a migration is loaded, then it imports nothing but knex\'s types, so that changing live code cannot change how it replays', () => {
    const dir = path.resolve(__dirname, '..', '..', 'migrations');
    for (const file of fs.readdirSync(dir)) {
      const imports = [...fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/^import .*$/gm)].map(([line]) => line);
      expect({ file, imports }).toEqual({ file, imports: ["import type { Knex } from 'knex';"] });
    }
  });
});
