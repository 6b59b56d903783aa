import { eventually } from '../support/eventually';
import { type ExternalDownstream, startExternalDownstream } from '../support/external-downstream';
import { listingInput } from '../support/fixtures';
import { type GatewayProcess, spawnGateway } from '../support/gateway-process';
import { jsonPost, untilAnswered } from '../support/patient-client';
import { MAPPED_LISTING } from '../support/sales';
import { createTestDatabase, postgresOnly, type TestDatabase } from '../support/test-database';

const ADMIN_API_KEY = 'worker-suite-admin-key-0123456789abcdefghij';
/** The worker's poll: an hour, so that within this test only a notification can wake it for new deliveries. */
const WORKER_POLL_MS = 3_600_000;
/** How long a delivery may take to show on a loaded machine. */
const DELIVERED_WITHIN_MS = 30_000;
const describeOnPostgres = postgresOnly('a worker shares the gateway\'s PostgreSQL database');

jest.setTimeout(90_000);

describeOnPostgres('a gateway with DISPATCHER=off and a worker beside it (npm run worker)', () => {
  let db: TestDatabase;
  let downstream: ExternalDownstream;
  let gateway: GatewayProcess;
  let worker: GatewayProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    downstream = await startExternalDownstream();
    const env = { ...downstream.env, DATABASE_URL: db.url as string, ADMIN_API_KEY };
    gateway = spawnGateway({ ...env, DISPATCHER: 'off' });
    worker = spawnGateway({ ...env, DISPATCHER_POLL_MS: String(WORKER_POLL_MS) }, 'worker');
  });
  afterAll(async () => {
    await Promise.all([gateway?.stop('SIGKILL'), worker?.stop('SIGKILL')]);
    await downstream?.close();
    await db?.close();
  });

  it('then the worker, woken by the invoice through NOTIFY, delivers the sale though its next poll is an hour away', async () => {
    const base = `http://127.0.0.1:${await gateway.listening}`;
    // The worker logs this once it LISTENs and its first poll (at start, when nothing was due) is under way.
    await eventually(async () => worker.output(), (output) => output.includes('worker running'), 30_000);
    const call = (path: string, key: string, body: unknown) => untilAnswered(() => `${base}${path}`, jsonPost(key, body));
    const partner = (await call('/v1/api-keys', ADMIN_API_KEY, { name: 'tevo', role: 'partner', partner_id: 'tevo' })).body.key as string;
    const inventory = (await call('/v1/api-keys', ADMIN_API_KEY, { name: 'feed', role: 'inventory' })).body.key as string;
    await call('/v1/listings/batch', inventory, { listings: [{ remote_id: 'w1', ...listingInput(MAPPED_LISTING) }] });
    await call('/v1/holds', partner, { global_id: 'worker-sale', remote_id: 'w1', quantity: 2 });

    expect((await call('/v1/invoices', partner, { global_id: 'worker-sale', order_id: 'o-1' })).status).toBe(201);
    const delivered = async () => (await db.knex('deliveries').where({ global_id: 'worker-sale', status: 'delivered' })).length;

    // Neither process polls meanwhile (the gateway has no dispatcher), so a delivery at all means the NOTIFY woke the worker.
    expect(await eventually(delivered, (n) => n === 2, DELIVERED_WITHIN_MS)).toBe(2);
    // Log lines reach stdout in batches, at least every 250 ms.
    expect(await eventually(async () => worker.output(), (output) => output.includes('"msg":"delivered"'), DELIVERED_WITHIN_MS)).toContain('"msg":"delivered"');
    expect(gateway.output()).not.toContain('"msg":"delivered"');
    expect(downstream.tessitura.state.orderCountsByKey()['tg-worker-sale']).toBe(1);
  });
});
