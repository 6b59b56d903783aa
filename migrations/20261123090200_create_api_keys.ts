import type { Knex } from 'knex';

/** API keys: only a SHA-256 hash of each key is stored; a key is revoked, never deleted. */
export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

// One statement per query: PGlite, unlike a PostgreSQL server, takes no more.
const UP = [
  `CREATE TABLE api_keys (
      id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      role        text NOT NULL CHECK (role IN ('admin', 'staff', 'inventory', 'partner', 'monitor')),
      partner_id  text,
      key_hash    text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
      created_at  timestamptz NOT NULL DEFAULT now(),
      revoked_at  timestamptz,
      CHECK ((role = 'partner') = (partner_id IS NOT NULL))
    )`,
];

const DOWN = [
  `DROP TABLE api_keys`,
];
