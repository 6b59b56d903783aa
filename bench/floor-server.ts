/**
 * The floor: the least an Express + pg hold endpoint can do, to measure the gateway against. One
 * statement, hence one transaction: take the tickets from the listing if it has them, and insert the
 * hold. No authentication, validation, logging, ledger or idempotency. Run as its own process by the
 * bench, with PORT, DATABASE_URL and DATABASE_POOL_MAX (the gateway's pool size, so both sides get the
 * same number of database connections).
 */
import express from 'express';
import { Pool } from 'pg';
import { CREATE_FLOOR_TABLES, FLOOR_HOLDS, FLOOR_LISTINGS } from './floor-tables';

const PLACE_HOLD = `
  WITH taken AS (
    UPDATE ${FLOOR_LISTINGS} SET available = available - $3
    WHERE remote_id = $2 AND available >= $3
    RETURNING remote_id
  )
  INSERT INTO ${FLOOR_HOLDS} (global_id, remote_id, quantity)
  SELECT $1, remote_id, $3 FROM taken
  RETURNING global_id, remote_id, quantity, created_at`;

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: setting('DATABASE_URL'), max: Number(setting('DATABASE_POOL_MAX')) });
  await pool.query(CREATE_FLOOR_TABLES);

  const app = express();
  app.use(express.json());
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.post('/holds', async (req, res) => {
    const { global_id, remote_id, quantity } = req.body as { global_id: string; remote_id: string; quantity: number };
    const { rows } = await pool.query(PLACE_HOLD, [global_id, remote_id, quantity]);
    if (rows.length === 0) res.status(409).json({ code: 'insufficient_inventory' });
    else res.status(201).json(rows[0]);
  });
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ code: 'internal_error', detail: error.message });
  });

  const server = app.listen(Number(setting('PORT')), '127.0.0.1');
  const stop = () => {
    server.close(() => void pool.end().then(() => process.exit(0)));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
