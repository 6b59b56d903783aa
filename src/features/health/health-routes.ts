import { Router } from 'express';
import type { Knex } from 'knex';
import { pendingMigrationCount } from '../../platform/migrations';
import { Problem } from '../../platform/problem';

type Check = 'ok' | 'failing';

export function healthRoutes(db: Knex): Router {
  return Router()
    .get('/healthz', (_req, res) => {
      res.json({ status: 'ok' });
    })
    .get('/readyz', async (_req, res) => {
      const pending = await pendingMigrationCount(db).catch(() => undefined);
      const checks: { database: Check; migrations: Check } = {
        database: pending === undefined ? 'failing' : 'ok',
        migrations: pending === 0 ? 'ok' : 'failing',
      };
      if (pending === 0) return void res.json({ status: 'ready', checks });
      const detail = pending === undefined ? 'The database does not answer.' : `Migrations are behind: ${pending} pending.`;
      throw new Problem('not_ready', detail, { checks }, { 'Retry-After': '5' });
    });
}
