import type { Knex } from 'knex';

/**
 * Partners' webhook endpoints (design 5b). The signing secret is stored only encrypted (AES-256-GCM with
 * WEBHOOK_SECRET_KEY, by the application). A partner has at most one live endpoint; deleting one only
 * marks it (`deleted_at`), so that deliveries still queued for it can see it is gone and stop.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

// One statement per query: PGlite, unlike a PostgreSQL server, takes no more.
const UP = [
  `CREATE TABLE webhook_endpoints (
      id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      partner_id         text NOT NULL CHECK (length(partner_id) BETWEEN 1 AND 128),
      url                text NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
      events             text[] NOT NULL CHECK (
                           cardinality(events) > 0
                           AND events <@ ARRAY['hold.expired', 'sale.recorded', 'sale.failed', 'sale.cancelled']::text[]
                         ),
      secret_ciphertext  text NOT NULL,
      created_at         timestamptz NOT NULL DEFAULT now(),
      deleted_at         timestamptz
    )`,
  `CREATE UNIQUE INDEX webhook_endpoints_one_live_per_partner ON webhook_endpoints (partner_id) WHERE deleted_at IS NULL`,
];

const DOWN = [
  `DROP TABLE webhook_endpoints`,
];
