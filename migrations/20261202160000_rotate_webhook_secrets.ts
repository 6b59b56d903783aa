import type { Knex } from 'knex';

/**
 * Secret rotation: the secret an endpoint had before its last rotation, encrypted like the current one,
 * and until when requests are signed with it too (both or neither).
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

// One statement per query: PGlite, unlike a PostgreSQL server, takes no more.
const UP = [
  `ALTER TABLE webhook_endpoints
     ADD COLUMN previous_secret_ciphertext text,
     ADD COLUMN previous_secret_expires_at timestamptz,
     ADD CONSTRAINT webhook_endpoints_previous_secret_whole
       CHECK ((previous_secret_ciphertext IS NULL) = (previous_secret_expires_at IS NULL))`,
];

const DOWN = [
  `ALTER TABLE webhook_endpoints
     DROP CONSTRAINT webhook_endpoints_previous_secret_whole,
     DROP COLUMN previous_secret_expires_at,
     DROP COLUMN previous_secret_ciphertext`,
];
