import type { Knex } from 'knex';

/**
 * Indexes for the box office's hold search: newest first (created_at, then global_id) under each
 * filter, so that a page is an index range scan whatever the table's size.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

// One statement per query: PGlite, unlike a PostgreSQL server, takes no more.
const UP = [
  `CREATE INDEX holds_created_idx ON holds (created_at DESC, global_id DESC)`,
  `CREATE INDEX holds_status_created_idx ON holds (status, created_at DESC, global_id DESC)`,
  `CREATE INDEX holds_partner_created_idx ON holds (partner_id, created_at DESC, global_id DESC)`,
  `CREATE INDEX holds_listing_created_idx ON holds (remote_id, created_at DESC, global_id DESC)`,
  `CREATE INDEX holds_event_created_idx ON holds (event_id, created_at DESC, global_id DESC)`,
];

const DOWN = [
  `DROP INDEX holds_created_idx`,
  `DROP INDEX holds_status_created_idx`,
  `DROP INDEX holds_partner_created_idx`,
  `DROP INDEX holds_listing_created_idx`,
  `DROP INDEX holds_event_created_idx`,
];
