/**
 * The floor server's own tables, in a schema of their own so that they never meet the gateway's (which
 * live in `public`, in the same database). Only what a hold needs: a listing's available count and the
 * holds, keyed by `global_id` like the gateway's.
 */
export const FLOOR_SCHEMA = 'bench_floor';
export const FLOOR_LISTINGS = `${FLOOR_SCHEMA}.listings`;
export const FLOOR_HOLDS = `${FLOOR_SCHEMA}.holds`;

export const CREATE_FLOOR_TABLES = `
  CREATE SCHEMA IF NOT EXISTS ${FLOOR_SCHEMA};
  CREATE TABLE IF NOT EXISTS ${FLOOR_LISTINGS} (
    remote_id  text PRIMARY KEY,
    available  integer NOT NULL CHECK (available >= 0)
  );
  CREATE TABLE IF NOT EXISTS ${FLOOR_HOLDS} (
    global_id   text PRIMARY KEY,
    remote_id   text NOT NULL REFERENCES ${FLOOR_LISTINGS} (remote_id),
    quantity    integer NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
  );
`;
