import type { Knex } from 'knex';
import { queryBudget } from './request-context';

/** SQL with `$1`-style parameters, prepared once per connection under `name` (PostgreSQL). */
export type PreparedStatement = { name: string; text: string };

type Driver = { query(config: unknown, values?: unknown[]): Promise<{ rows: unknown[]; rowCount?: number | null; affectedRows?: number }> };
type PooledClient = {
  acquireConnection(): Promise<Driver>;
  releaseConnection(connection: Driver): Promise<unknown>;
  cancelQuery(connection: Driver): Promise<unknown>;
};

/**
 * Runs one of the hot statements (a hold, a release, an invoice) straight on a pooled connection, as a
 * named prepared statement: PostgreSQL parses and plans it once per connection instead of on every call,
 * which is most of what the statement costs. Within a request it honours the request's deadline as
 * knex's queries do: it does not start past it, and PostgreSQL cancels it if it runs past it (the
 * statement then fails with query_canceled and nothing of it remains). PGlite has no named statements
 * to keep and cannot cancel: it just runs the text.
 */
export async function runPrepared<Row>(
  db: Knex,
  statement: PreparedStatement,
  values: unknown[],
): Promise<{ rows: Row[]; rowCount: number }> {
  const budget = queryBudget();
  const client = db.client as PooledClient;
  // knex-pglite's client keeps its PGlite instance here; pg's has none.
  const postgres = !('pglite' in client);
  const connection = await client.acquireConnection();
  const started = performance.now();
  const cancel = postgres && budget ? setTimeout(() => void client.cancelQuery(connection).catch(() => undefined), budget.remainingMs) : undefined;
  try {
    const result = postgres
      ? await connection.query({ name: statement.name, text: statement.text, values })
      : await connection.query(statement.text, values);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.affectedRows ?? 0 };
  } finally {
    clearTimeout(cancel);
    budget?.addDatabaseTime(performance.now() - started);
    await client.releaseConnection(connection);
  }
}
