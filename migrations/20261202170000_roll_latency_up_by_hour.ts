import type { Knex } from 'knex';

/**
 * The SLO's older counts by the hour: a 30-day report would otherwise read up to 43,200 minutes of rows
 * per operation and status class. The latency upkeep job moves minutes older than the shorter report
 * windows need into these rows (same columns, the hour in UTC leading the key).
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

// One statement per query: PGlite, unlike a PostgreSQL server, takes no more.
const UP = [
  `CREATE TABLE request_latency_hours (
      hour         timestamptz NOT NULL CHECK (hour = date_trunc('hour', hour, 'UTC')),
      method       text NOT NULL,
      route        text NOT NULL,
      status_class text NOT NULL CHECK (status_class IN ('2xx', '3xx', '4xx', '5xx')),
      buckets      bigint[] NOT NULL CHECK (cardinality(buckets) = 15),
      PRIMARY KEY (hour, method, route, status_class)
    )`,
];

const DOWN = [`DROP TABLE request_latency_hours`];
