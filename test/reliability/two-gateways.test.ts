import { listingInput, uniqueId } from '../support/fixtures';
import { eventually } from '../support/eventually';
import { type ExternalDownstream, startExternalDownstream } from '../support/external-downstream';
import { type GatewayProcess, spawnGateway } from '../support/gateway-process';
import { ledgerViolations } from '../support/ledger-invariants';
import { jsonPost, untilAnswered } from '../support/patient-client';
import { MAPPED_LISTING } from '../support/sales';
import { createTestDatabase, postgresOnly, type TestDatabase } from '../support/test-database';

const ATTEMPTS = 600;
const CONCURRENCY = 24;
const SUPPLY = [40, 60, 80];
const ADMIN_API_KEY = 'two-gateways-admin-key-0123456789abcdefghij';

const describeOnPostgres = postgresOnly('two processes share one PostgreSQL database');

jest.setTimeout(180_000);

describeOnPostgres('two gateway processes on one PostgreSQL serving the same partners', () => {
  let db: TestDatabase;
  let downstream: ExternalDownstream;
  let gateways: GatewayProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    downstream = await startExternalDownstream();
    const env = { ...downstream.env, DATABASE_URL: db.url as string, ADMIN_API_KEY, DELIVERY_BACKOFF_BASE_MS: '50', DELIVERY_BACKOFF_MAX_MS: '500' };
    gateways = [spawnGateway(env), spawnGateway(env)];
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop('SIGKILL')));
    await downstream?.close();
    await db?.close();
  });

  it('then nothing is oversold, and every sale is delivered exactly once', async () => {
    const bases = (await Promise.all(gateways.map((gateway) => gateway.listening))).map((port) => `http://127.0.0.1:${port}`);
    const call = (i: number, path: string, key: string, body: unknown) => untilAnswered(() => `${bases[i % 2]}${path}`, jsonPost(key, body));
    const partners = await Promise.all(
      ['tevo', 'vivid', 'seatgeek'].map(async (partnerId, i) => (await call(i, '/v1/api-keys', ADMIN_API_KEY, { name: partnerId, role: 'partner', partner_id: partnerId })).body.key as string),
    );
    const inventory = (await call(0, '/v1/api-keys', ADMIN_API_KEY, { name: 'feed', role: 'inventory' })).body.key as string;
    const listings = SUPPLY.map(() => uniqueId('shared'));
    await call(1, '/v1/listings/batch', inventory, {
      listings: listings.map((remote_id, i) => ({
        remote_id,
        ...listingInput({ quantity: SUPPLY[i], ...MAPPED_LISTING, tessitura: { performance_id: 200 + i, zone_id: 1, price_type: 1 } }),
      })),
    });

    const sold: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ATTEMPTS) {
          const i = next++;
          const globalId = `shared-${i}`;
          const partner = partners[i % partners.length];
          const hold = await call(i, '/v1/holds', partner, { global_id: globalId, remote_id: listings[i % listings.length], quantity: 1 });
          if (hold.status !== 201) {
            expect(hold.body.code).toBe('insufficient_inventory');
            continue;
          }
          // The invoice goes to the other gateway.
          expect((await call(i + 1, '/v1/invoices', partner, { global_id: globalId, order_id: `order-${i}` })).status).toBe(201);
          sold.push(globalId);
        }
      }),
    );

    expect(sold).toHaveLength(SUPPLY.reduce((a, b) => a + b, 0));
    const rows = await db.knex('listings').whereIn('remote_id', listings);
    expect(rows.map((row) => [row.sold, row.available])).toEqual(expect.arrayContaining(SUPPLY.map((quantity) => [quantity, 0])));
    expect(await ledgerViolations(db.knex)).toEqual([]);

    const sales = () => db.knex('deliveries').where({ kind: 'sale' });
    const undelivered = async () => Number((await sales().whereNot({ status: 'delivered' }).count({ n: '*' }).first())?.n);
    expect(await eventually(undelivered, (n) => n === 0, 60_000, 200)).toBe(0);
    const tessitura = downstream.tessitura.state.orderCountsByKey();
    const salesvu = downstream.salesvu.state.orderCountsByKey();
    expect(sold.filter((globalId) => tessitura[`tg-${globalId}`] !== 1 || salesvu[`tg-${globalId}`] !== 1)).toEqual([]);
    // Each sale delivery delivered once (the demo's webhook events to its local sink aside).
    const deliveredBy = await db.knex('delivery_events').where({ kind: 'delivered' }).whereIn('delivery_id', sales().select('id')).count({ n: '*' }).first();
    expect(Number(deliveredBy?.n)).toBe(2 * sold.length);
    // Both processes' dispatchers took part.
    for (const gateway of gateways) expect(gateway.output()).toContain('"msg":"delivered"');
  });
});
