import { createTestDatabase } from '../support/test-database';
import { migrateToLatest, pendingMigrationCount } from '../../src/platform/migrations';
import { splitSqlScript } from '../../src/platform/sql-script';

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

  it('when a script has semicolons inside function bodies, quotes or comments, then it splits only between statements', () => {
    const script = `
      CREATE TABLE t (a text DEFAULT ';'); -- a comment; with a semicolon
      CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'x;y'; RETURN NEW; END $$;
      SELECT 1`;
    expect(splitSqlScript(script)).toEqual([
      "CREATE TABLE t (a text DEFAULT ';')",
      "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'x;y'; RETURN NEW; END $$",
      'SELECT 1',
    ]);
  });
});
