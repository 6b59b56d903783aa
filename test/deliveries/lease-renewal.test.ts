import { eventually } from '../support/eventually';
import { idempotencyKeyOf, invoicedSale, saleKeys, type SaleKeys } from '../support/sales';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const SALES = 3;
/** Shorter than the step each system takes slowly below, so that only renewal keeps a claim through it. */
const LEASE_MS = 600;
const SLOW_STEP_MS = 1_500;

describe('a delivery attempt that takes longer than its lease', () => {
  let first: TestGateway;
  let second: TestGateway;
  let keys: SaleKeys;

  beforeAll(async () => {
    first = await startTestGateway({ simulators: true, deliveries: { leaseMs: LEASE_MS } });
    // The steps after which a second sender would find nothing yet, and record the sale again.
    first.tessitura!.faults.setLatency({ operation: 'checkout', ms: SLOW_STEP_MS });
    first.salesvu!.faults.setLatency({ operation: 'create_order', ms: SLOW_STEP_MS });
    // A second dispatcher on the same database, polling every 100 ms for deliveries whose lease ran out.
    second = await startTestGateway({ db: first.db, downstream: first.downstream, deliveries: { leaseMs: LEASE_MS } });
    keys = await saleKeys(first);
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('then no other dispatcher sends it meanwhile: each sale is recorded once in Tessitura and once in SalesVu', async () => {
    const sales = await Promise.all(Array.from({ length: SALES }, () => invoicedSale(first, keys)));

    const unsettled = () => first.db.knex('deliveries').where({ kind: 'sale' }).whereNot({ status: 'delivered' });
    await eventually(unsettled, (rows) => rows.length === 0, 120_000);
    const tessitura = first.tessitura!.state.orderCountsByKey();
    const salesvu = first.salesvu!.state.orderCountsByKey();
    expect(sales.map(({ globalId }) => [tessitura[idempotencyKeyOf(globalId)], salesvu[idempotencyKeyOf(globalId)]])).toEqual(sales.map(() => [1, 1]));
    const slowest = await first.db.knex('deliveries').where({ target: 'tessitura', kind: 'sale' }).max('attempts as attempts').first();
    expect(slowest?.attempts).toBe(0);
  }, 180_000);
});
