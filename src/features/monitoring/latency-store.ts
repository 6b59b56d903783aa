import type { Knex } from 'knex';
import { BUCKET_COUNT, THRESHOLD_INDEX } from './latency-buckets';

const TABLE = 'request_latency_minutes';
const HOURS_TABLE = 'request_latency_hours';
/** Every row from either table, at `at` (a minute, or an hour); callers add `WHERE at >= ?`. */
const ALL_ROWS = `(SELECT minute AS at, method, route, status_class, buckets FROM ${TABLE}
                   UNION ALL
                   SELECT hour AS at, method, route, status_class, buckets FROM ${HOURS_TABLE}) AS r`;
/** Adds the incoming row's buckets to the stored row's, bucket by bucket. */
const ADD_BUCKETS = `ARRAY(SELECT a + b FROM unnest(t.buckets, excluded.buckets) WITH ORDINALITY AS u(a, b, i) ORDER BY i)`;

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx';

/** The answers of one operation and status class in one minute (or summed over several). */
export type LatencyRow = { method: string; route: string; statusClass: StatusClass; buckets: number[] };
export type LatencyMinute = LatencyRow & { minute: Date };

/** Requests and bad ones (slower than the threshold, or a 5xx) since a minute. */
export type LatencyTally = { count: number; bad: number };

// SQL arrays count from 1: the total is the last bucket (+Inf), the good ones are within the threshold.
const TOTAL = `buckets[${BUCKET_COUNT}]`;
const BAD = `${TOTAL} - CASE WHEN status_class = '5xx' THEN 0 ELSE buckets[${THRESHOLD_INDEX + 1}] END`;

type BucketRow = { method: string; route: string; status_class: StatusClass; buckets: number[] };

/**
 * The latency histograms every gateway process adds to: per minute, and (moved there by `rollUpBefore`)
 * per hour for the older ones. Reads count a row from the time it starts (see SloReporter for the windows).
 */
export class LatencyStore {
  constructor(private readonly db: Knex) {}

  /**
   * Adds each minute's counts to what is there, in one statement. Rows go in key order, so that two
   * processes adding to the same rows lock them in the same order and never deadlock.
   */
  async add(minutes: LatencyMinute[]): Promise<void> {
    if (minutes.length === 0) return;
    const sorted = [...minutes].sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
    await this.db.raw(
      `INSERT INTO ${TABLE} AS t (minute, method, route, status_class, buckets)
       VALUES ${sorted.map(() => '(?, ?, ?, ?, ?::bigint[])').join(', ')}
       ON CONFLICT (minute, method, route, status_class) DO UPDATE SET buckets = ${ADD_BUCKETS}`,
      sorted.flatMap((m) => [m.minute, m.method, m.route, m.statusClass, `{${m.buckets.join(',')}}`]),
    );
  }

  /** Each operation and status class's buckets summed over the rows from `since` on. */
  async bucketsSince(since: Date): Promise<LatencyRow[]> {
    const { rows } = await this.db.raw<{ rows: BucketRow[] }>(
      `SELECT method, route, status_class, array_agg(total ORDER BY i) AS buckets
       FROM (SELECT method, route, status_class, i, sum(b)::float8 AS total
             FROM ${ALL_ROWS} CROSS JOIN LATERAL unnest(buckets) WITH ORDINALITY AS u(b, i)
             WHERE at >= ?
             GROUP BY method, route, status_class, i) AS per_bucket
       GROUP BY method, route, status_class`,
      [since],
    );
    return rows.map((row) => ({ method: row.method, route: row.route, statusClass: row.status_class, buckets: row.buckets.map(Number) }));
  }

  /** Requests and bad ones since each of the times, in one pass over the oldest one's rows. */
  async tallies(sinces: Date[]): Promise<LatencyTally[]> {
    const oldest = new Date(Math.min(...sinces.map((since) => since.getTime())));
    const columns = sinces.map(
      (_, i) => `coalesce(sum(${TOTAL}) FILTER (WHERE at >= ?), 0)::float8 AS count_${i},
                 coalesce(sum(${BAD}) FILTER (WHERE at >= ?), 0)::float8 AS bad_${i}`,
    );
    const { rows } = await this.db.raw<{ rows: Record<string, number>[] }>(
      `SELECT ${columns.join(', ')} FROM ${ALL_ROWS} WHERE at >= ?`,
      [...sinces.flatMap((since) => [since, since]), oldest],
    );
    return sinces.map((_, i) => ({ count: Number(rows[0][`count_${i}`]), bad: Number(rows[0][`bad_${i}`]) }));
  }

  /**
   * Moves the minutes before `hour` into their hours' rows, in one statement: a minute is either still a
   * minute or already in its hour, never both nor neither, even while processes add to it (an addition
   * to a minute just moved makes a new minute row, moved by a later run). Answers how many minutes moved.
   * Safe to run in several processes at once: a minute another run moves is gone by the time this one
   * could delete it.
   */
  async rollUpBefore(hour: Date): Promise<number> {
    const { rows } = await this.db.raw<{ rows: { moved: number }[] }>(
      `WITH moved AS (
         DELETE FROM ${TABLE} WHERE minute < ? RETURNING minute, method, route, status_class, buckets
       ), per_bucket AS (
         SELECT date_trunc('hour', minute, 'UTC') AS hour, method, route, status_class, i, sum(b)::bigint AS total
         FROM moved CROSS JOIN LATERAL unnest(buckets) WITH ORDINALITY AS u(b, i)
         GROUP BY 1, 2, 3, 4, 5
       ), rolled AS (
         INSERT INTO ${HOURS_TABLE} AS t (hour, method, route, status_class, buckets)
         SELECT hour, method, route, status_class, array_agg(total ORDER BY i)
         FROM per_bucket GROUP BY hour, method, route, status_class
         ORDER BY hour, method, route, status_class
         ON CONFLICT (hour, method, route, status_class) DO UPDATE SET buckets = ${ADD_BUCKETS}
       )
       SELECT count(*)::int AS moved FROM moved`,
      [hour],
    );
    return rows[0].moved;
  }

  /**
   * Deletes the rows before `hour` (minutes and hours alike); answers how many went. Safe to run in several
   * processes at once.
   */
  async pruneBefore(hour: Date): Promise<number> {
    const [minutes, hours] = await Promise.all([
      this.db(TABLE).where('minute', '<', hour).delete(),
      this.db(HOURS_TABLE).where('hour', '<', hour).delete(),
    ]);
    return minutes + hours;
  }
}

export const keyOf = (m: LatencyMinute) => [m.minute.toISOString(), m.method, m.route, m.statusClass].join(' ');
const compareKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
