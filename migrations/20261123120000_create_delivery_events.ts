import type { Knex } from 'knex';

/**
 * Delivery history and claim leases. A dispatcher claims a delivery by giving it a fresh lease token and
 * pushing its next attempt past the lease; it records the outcome only while it still holds that token,
 * so a dispatcher that outlived its lease cannot overwrite a newer claim. Every attempt, outcome and
 * staff action is appended to delivery_events.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

// One statement per query: PGlite, unlike a PostgreSQL server, takes no more.
const UP = [
  `ALTER TABLE deliveries ADD COLUMN lease_token uuid`,
  `CREATE TABLE delivery_events (
      id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      delivery_id  bigint NOT NULL REFERENCES deliveries (id),
      kind         text NOT NULL CHECK (kind IN ('attempt_failed', 'delivered', 'dead', 'retried')),
      attempt      integer NOT NULL,
      detail       text,
      actor        text NOT NULL,
      created_at   timestamptz NOT NULL DEFAULT clock_timestamp()
    )`,
  `CREATE INDEX delivery_events_delivery_idx ON delivery_events (delivery_id, id)`,
];

const DOWN = [
  `DROP TABLE delivery_events`,
  `ALTER TABLE deliveries DROP COLUMN lease_token`,
];
