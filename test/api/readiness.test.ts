import pino from 'pino';
import supertest from 'supertest';
import { buildGateway } from '../../src/gateway';
import { loadConfig } from '../../src/platform/config';
import { createDatabase } from '../../src/platform/database';
import { OFFLINE_DOWNSTREAM, startTestGateway, TEST_DELIVERIES, TEST_WEBHOOKS, type TestGateway } from '../support/test-gateway';

describe('health and readiness', () => {
  let t: TestGateway;

  beforeEach(async () => {
    t = await startTestGateway();
  });
  afterEach(() => t.close());

  it('when everything is in place, then /healthz and /readyz answer 200', async () => {
    await t.http.get('/healthz').expect(200, { status: 'ok' });
    await t.http.get('/readyz').expect(200, { status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
  });

  it('when a migration is pending, then /readyz is a 503 not_ready and /healthz stays up', async () => {
    await t.db.knex('knex_migrations').where('id', t.db.knex('knex_migrations').max('id')).delete();

    const response = await t.http.get('/readyz').expect(503);

    expect(response.body).toMatchObject({ code: 'not_ready', checks: { database: 'ok', migrations: 'failing' } });
    expect(response.headers['retry-after']).toBe('5');
    await t.http.get('/healthz').expect(200);
  });

  it('when the database does not answer, then /readyz and API calls are a 503 and /healthz stays up', async () => {
    const unreachable = buildGateway({
      config: { holdTtlSeconds: 900, piiRetentionDays: 30, requestDeadlineMs: 4_500, rateLimits: loadConfig({}).rateLimits, keyConcurrency: loadConfig({}).keyConcurrency },
      databaseEngine: 'postgres',
      db: createDatabase({ url: 'postgres://gateway@127.0.0.1:1/none', poolMax: 1, pgliteDir: '' }).knex,
      logger: pino({ level: 'silent' }),
      validateResponses: true,
      downstream: OFFLINE_DOWNSTREAM,
      deliveries: TEST_DELIVERIES,
      webhooks: TEST_WEBHOOKS,
    });
    const http = supertest(unreachable.app);

    const ready = await http.get('/readyz').expect(503);
    expect(ready.body.checks).toEqual({ database: 'failing', migrations: 'failing' });
    await http.get('/healthz').expect(200);
    const hold = await http.post('/v1/holds').set('X-Api-Key', 'tg_any').send({ global_id: 'g', remote_id: 'r', quantity: 1 });
    expect(hold.status).toBe(503);
    expect(hold.body.code).toBe('service_unavailable');
    expect(hold.headers['retry-after']).toBe('1');
  });
});
