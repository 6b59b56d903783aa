import type { Knex } from 'knex';

/**
 * Reconciliation (design 5): each run compares the deliveries delivered in a window with what Tessitura
 * and SalesVu hold now, and is recorded here (counts only), so that every gateway's /metrics shows the
 * latest run, whichever process (an API call or the CLI) made it. Deliveries are read by the time they
 * were delivered, hence the index.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

// One statement per query: PGlite, unlike a PostgreSQL server, takes no more.
const UP = [
  `CREATE INDEX deliveries_delivered_idx ON deliveries (delivered_at, id) WHERE status = 'delivered'`,
  `CREATE TABLE reconciliation_runs (
      id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      window_from     timestamptz NOT NULL,
      window_to       timestamptz NOT NULL,
      started_at      timestamptz NOT NULL,
      finished_at     timestamptz NOT NULL DEFAULT now(),
      -- Who asked: an API key (name#id-prefix) or system:cli.
      actor           text NOT NULL,
      checked_sales   integer NOT NULL CHECK (checked_sales >= 0),
      checked_returns integer NOT NULL CHECK (checked_returns >= 0),
      -- { kind: count } of the mismatches found, and { target: count } of the deliveries left unchecked.
      mismatches      jsonb NOT NULL,
      unchecked       jsonb NOT NULL,
      CHECK (window_from < window_to)
    )`,
];

const DOWN = [`DROP TABLE reconciliation_runs`, `DROP INDEX deliveries_delivered_idx`];
