import { listingInput, uniqueId } from '../support/fixtures';
import { eventually } from '../support/eventually';
import { type ExternalDownstream, freePort, startExternalDownstream } from '../support/external-downstream';
import { type GatewayProcess, spawnGateway } from '../support/gateway-process';
import { ledgerViolations } from '../support/ledger-invariants';
import { jsonPost, untilAnswered } from '../support/patient-client';
import { createTestDatabase, postgresOnly, type TestDatabase } from '../support/test-database';

const SALES = 600;
const CONCURRENCY = 10;
const CRASHES = 5;
/** Every third sale is cancelled right after its invoice, so that crashes also land among withdrawals and returns. */
const CANCEL_EVERY = 3;
const ADMIN_API_KEY = 'crash-suite-admin-key-0123456789abcdefghij';

const describeOnPostgres = postgresOnly('it kills gateway processes sharing a PostgreSQL database');

jest.setTimeout(240_000);

describeOnPostgres(`a gateway killed with SIGKILL ${CRASHES} times under load`, () => {
  let db: TestDatabase;
  let downstream: ExternalDownstream;
  let gateway: GatewayProcess | undefined;
  let env: Record<string, string>;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    downstream = await startExternalDownstream();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      ...downstream.env,
      DATABASE_URL: db.url as string,
      PORT: String(port),
      ADMIN_API_KEY,
      DOWNSTREAM_TIMEOUT_MS: '500',
      DELIVERY_LEASE_MS: '5000',
      WEBHOOK_TIMEOUT_MS: '2000',
      DELIVERY_BACKOFF_BASE_MS: '50',
      DELIVERY_BACKOFF_MAX_MS: '500',
    };
  });
  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    await downstream?.close();
    await db?.close();
  });

  const start = async () => {
    gateway = spawnGateway(env);
    await gateway.listening;
  };

  it('then every answered request is in the database, the ledger holds, every sale reaches each system exactly once, and every cancelled one is returned once or never recorded', async () => {
    await start();
    const call = (path: string, key: string, body: unknown) => untilAnswered(() => `${base}${path}`, jsonPost(key, body));
    const { key: partner } = (await call('/v1/api-keys', ADMIN_API_KEY, { name: 'tevo', role: 'partner', partner_id: 'tevo' })).body as { key: string };
    const { key: inventory } = (await call('/v1/api-keys', ADMIN_API_KEY, { name: 'feed', role: 'inventory' })).body as { key: string };
    const listings = [uniqueId('crash'), uniqueId('crash'), uniqueId('crash')];
    await call('/v1/listings/batch', inventory, {
      // One performance per listing: a simulated zone has 500 seats.
      listings: listings.map((remote_id, i) => ({
        remote_id,
        ...listingInput({ quantity: 1000, tessitura: { performance_id: 7 + i, zone_id: 1, price_type: 1 }, salesvu: { product_id: 'p1' } }),
      })),
    });

    const answered: { globalId: string; hold: number; invoice: number; cancellation?: number; retried: boolean }[] = [];
    const soldAtCrash: number[] = [];
    let next = 0;
    const sell = async () => {
      while (next < SALES) {
        const cancelIt = next % CANCEL_EVERY === 0;
        const globalId = `crash-sale-${next++}`;
        const hold = await call('/v1/holds', partner, { global_id: globalId, remote_id: listings[next % listings.length], quantity: 2 });
        const invoice = await call('/v1/invoices', partner, { global_id: globalId, order_id: `order-${globalId}` });
        const cancellation = cancelIt ? await call(`/v1/invoices/${globalId}/cancellation`, partner, { reason: 'the buyer asked' }) : undefined;
        answered.push({ globalId, hold: hold.status, invoice: invoice.status, cancellation: cancellation?.status, retried: hold.tries + invoice.tries > 2 });
      }
    };
    // Each crash waits for its share of the load, so that all of them land mid-load.
    const crash = async () => {
      for (let i = 1; i <= CRASHES; i++) {
        await eventually(async () => answered.length, (sold) => sold >= (i * SALES) / (CRASHES + 1), 60_000, 10);
        soldAtCrash.push(answered.length);
        await gateway!.stop('SIGKILL');
        await start();
      }
    };
    await Promise.all([...Array.from({ length: CONCURRENCY }, sell), crash()]);

    // The crashes fell in the middle of the load, and some requests had to be retried across them.
    expect(soldAtCrash.filter((sold) => sold > 0 && sold < SALES)).toHaveLength(CRASHES);
    expect(answered.some((sale) => sale.retried)).toBe(true);
    expect(answered).toHaveLength(SALES);
    const refused = (status: number | undefined) => status !== undefined && ![200, 201].includes(status);
    expect(answered.filter((s) => refused(s.hold) || refused(s.invoice) || refused(s.cancellation))).toEqual([]);
    const [kept, cancelled] = [answered.filter((s) => !s.cancellation), answered.filter((s) => s.cancellation)];
    expect(cancelled.length).toBeGreaterThan(0);
    const holdsIn = (status: string) => db.knex('holds').whereIn('global_id', answered.map((s) => s.globalId)).andWhere({ status });
    expect(await holdsIn('invoiced')).toHaveLength(kept.length);
    expect(await holdsIn('cancelled')).toHaveLength(cancelled.length);
    expect(await ledgerViolations(db.knex)).toEqual([]);

    const unsettled = () =>
      db.knex('deliveries').whereNotIn('status', ['delivered', 'withdrawn']).whereNot({ kind: 'event' }).select('global_id', 'target', 'kind', 'status', 'last_error');
    expect((await eventually(unsettled, (rows) => rows.length === 0, 120_000)).slice(0, 5)).toEqual([]);
    const tessitura = downstream.tessitura.state.orderCountsByKey();
    const tessituraReturns = downstream.tessitura.state.returnCountsByKey();
    const salesvu = downstream.salesvu.state.orderCountsByKey();
    const keyOf = (sale: { globalId: string }) => `tg-${sale.globalId}`;
    expect(kept.map(keyOf).filter((key) => tessitura[key] !== 1 || salesvu[key] !== 1)).toEqual([]);
    // A cancelled sale was recorded and returned once in each system, or never recorded there.
    const onceOrNever = (orders: number | undefined, returns: number | undefined) => (orders ?? 0) === (returns ?? 0) && (orders ?? 0) <= 1;
    expect(cancelled.map(keyOf).filter((key) => !onceOrNever(tessitura[key], tessituraReturns[`${key}-return`]))).toEqual([]);
    expect(cancelled.map(keyOf).filter((key) => !onceOrNever(salesvu[key], salesvu[`${key}-return`]))).toEqual([]);
  });
});
