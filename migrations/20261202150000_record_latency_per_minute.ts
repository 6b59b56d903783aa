import type { Knex } from 'knex';

/**
 * The latency SLO (design 6) across processes and restarts: every gateway process adds the requests it
 * answered, per minute, operation (method and OpenAPI route) and status class, to one shared row, with
 * the latency histogram's cumulative bucket counts (the 14 bounds of LATENCY_BUCKETS, then +Inf, the
 * total). Rows older than the longest report window (30 days) are pruned; hence the minute leads the key.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

// One statement per query: PGlite, unlike a PostgreSQL server, takes no more.
const UP = [
  `CREATE TABLE request_latency_minutes (
      minute       timestamptz NOT NULL CHECK (minute = date_trunc('minute', minute)),
      method       text NOT NULL,
      route        text NOT NULL,
      status_class text NOT NULL CHECK (status_class IN ('2xx', '3xx', '4xx', '5xx')),
      buckets      bigint[] NOT NULL CHECK (cardinality(buckets) = 15),
      PRIMARY KEY (minute, method, route, status_class)
    )`,
];

const DOWN = [`DROP TABLE request_latency_minutes`];
