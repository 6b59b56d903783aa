import supertest from 'supertest';
import type { ReconciliationReport } from '../../src/features/reconciliation/reconciliation';
import { eventually } from '../support/eventually';
import { invoicedSale, type SaleKeys, saleKeys, saleStory, settledStory } from '../support/sales';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

jest.setTimeout(60_000);

type DeliveredSale = { globalId: string; tessituraOrderId: number; salesVuOrderId: number };

/** An invoiced sale of two tickets, delivered to both systems; answers the orders they acknowledged. */
async function deliveredSale(t: TestGateway, keys: SaleKeys): Promise<DeliveredSale> {
  const { globalId } = await invoicedSale(t, keys);
  const story = await settledStory(t, keys, globalId);
  const orderOf = (target: string) => {
    const delivery = story.deliveries.find((d) => d.target === target);
    expect(delivery).toMatchObject({ status: 'delivered' });
    return (delivery?.acknowledgment as { order_id: number }).order_id;
  };
  return { globalId, tessituraOrderId: orderOf('tessitura'), salesVuOrderId: orderOf('salesvu') };
}

/** A delivered sale, cancelled by its partner: its returns to both systems delivered. */
async function returnedSale(t: TestGateway, keys: SaleKeys): Promise<DeliveredSale & { salesVuReturnOrderId: number }> {
  const sale = await deliveredSale(t, keys);
  await t.http.post(`/v1/invoices/${sale.globalId}/cancellation`).set('X-Api-Key', keys.partner).send({ reason: 'The buyer asked for a refund' }).expect(201);
  const returns = (story: Awaited<ReturnType<typeof saleStory>>) => story.deliveries.filter((d) => d.kind === 'return');
  const story = await eventually(
    () => saleStory(t, keys, sale.globalId),
    (s) => returns(s).length === 2 && returns(s).every((d) => d.status !== 'pending'),
    30_000,
  );
  expect(returns(story).map((d) => `${d.target} ${d.status}`).sort()).toEqual(['salesvu delivered', 'tessitura delivered']);
  const salesVuReturn = returns(story).find((d) => d.target === 'salesvu');
  return { ...sale, salesVuReturnOrderId: (salesVuReturn?.acknowledgment as { order_id: number }).order_id };
}

/** Delivery times come from the database's clock and our sales are made one after another: a moment between two of them. */
const now = () => new Date().toISOString();
const later = () => new Date(Date.now() + 60_000).toISOString();

describe('reconciliation with Tessitura and SalesVu (GET /v1/reconciliation)', () => {
  let t: TestGateway;
  let keys: SaleKeys;

  const reconcile = async (query: Record<string, string>, key = keys.staff): Promise<ReconciliationReport> => {
    const response = await t.http.get('/v1/reconciliation').query(query).set('X-Api-Key', key).expect(200);
    return response.body as ReconciliationReport;
  };

  beforeAll(async () => {
    t = await startTestGateway({ simulators: true });
    keys = await saleKeys(t);
  });
  afterAll(() => t.close());

  it('when every delivered sale is as the systems hold it, then nothing disagrees and every sale was checked', async () => {
    const from = now();
    await deliveredSale(t, keys);
    await deliveredSale(t, keys);

    const report = await reconcile({ from, to: later() });

    expect(report).toEqual({ from: new Date(from).toISOString(), to: expect.any(String), checked: { sales: 2, returns: 0 }, mismatches: [], unchecked: [] });
  });

  it('when orders drift in each system (lost, another ticket count), then each is listed with its kind, and /metrics counts them', async () => {
    const from = now();
    const [lostInTessitura, changedInTessitura, lostInSalesVu, changedInSalesVu, untouched] = [
      await deliveredSale(t, keys),
      await deliveredSale(t, keys),
      await deliveredSale(t, keys),
      await deliveredSale(t, keys),
      await deliveredSale(t, keys),
    ];
    // Tessitura's drift through its admin HTTP API, SalesVu's through the simulator object.
    const tessituraAdmin = supertest(new URL(t.tessitura!.url).origin);
    await tessituraAdmin.post('/__admin/drift/lose-order').send({ order_id: lostInTessitura.tessituraOrderId }).expect(200);
    await tessituraAdmin.post('/__admin/drift/ticket-count').send({ order_id: changedInTessitura.tessituraOrderId, count: 3 }).expect(200);
    t.salesvu!.drift.loseOrder(lostInSalesVu.salesVuOrderId);
    t.salesvu!.drift.setTicketCount(changedInSalesVu.salesVuOrderId, 1);

    const report = await reconcile({ from, to: later() });

    expect(report.checked).toEqual({ sales: 5, returns: 0 });
    expect(report.unchecked).toEqual([]);
    expect(report.mismatches).toHaveLength(4);
    expect(report.mismatches).toEqual(
      expect.arrayContaining([
        {
          kind: 'missing_order',
          global_id: lostInTessitura.globalId,
          order_id: lostInTessitura.tessituraOrderId,
          target: 'tessitura',
          expected: lostInTessitura.tessituraOrderId,
          found: null,
          detail: expect.stringContaining('404'),
        },
        expect.objectContaining({ kind: 'quantity_mismatch', global_id: changedInTessitura.globalId, target: 'tessitura', expected: 2, found: 3 }),
        expect.objectContaining({ kind: 'missing_order', global_id: lostInSalesVu.globalId, order_id: lostInSalesVu.salesVuOrderId, target: 'salesvu', found: null }),
        expect.objectContaining({ kind: 'quantity_mismatch', global_id: changedInSalesVu.globalId, target: 'salesvu', expected: 2, found: 1 }),
      ]),
    );
    expect(report.mismatches.map((m) => m.global_id)).not.toContain(untouched.globalId);

    const metrics = (await t.http.get('/metrics').set('X-Api-Key', t.adminKey).expect(200)).text;
    expect(metrics).toMatch(/^ticket_gateway_reconciliation_mismatches\{kind="missing_order"\} 2$/m);
    expect(metrics).toMatch(/^ticket_gateway_reconciliation_mismatches\{kind="quantity_mismatch"\} 2$/m);
    expect(metrics).toMatch(/^ticket_gateway_reconciliation_mismatches\{kind="not_returned"\} 0$/m);
    expect(metrics).toMatch(/^ticket_gateway_reconciliation_unchecked_deliveries\{target="salesvu"\} 0$/m);
    const lastRun = Number(/^ticket_gateway_reconciliation_last_run_timestamp_seconds (\S+)$/m.exec(metrics)?.[1]);
    expect(Math.abs(lastRun * 1000 - Date.now())).toBeLessThan(60_000);
  });

  it('when a window is asked for, then only the deliveries delivered within [from, to) are checked; by default the last 24 hours', async () => {
    const start = now();
    const before = await deliveredSale(t, keys);
    t.tessitura!.drift.loseOrder(before.tessituraOrderId);
    const between = now();
    const after = await deliveredSale(t, keys);

    const earlier = await reconcile({ from: start, to: between });
    expect(earlier.checked.sales).toBe(1);
    expect(earlier.mismatches).toEqual([expect.objectContaining({ kind: 'missing_order', global_id: before.globalId })]);

    const recent = await reconcile({ from: between, to: later() });
    expect(recent).toMatchObject({ checked: { sales: 1, returns: 0 }, mismatches: [] });

    const byDefault = await reconcile({});
    expect(Date.parse(byDefault.to) - Date.parse(byDefault.from)).toBe(24 * 3_600_000);
    expect(byDefault.mismatches.map((m) => m.global_id)).toContain(before.globalId);
    expect(byDefault.mismatches.map((m) => m.global_id)).not.toContain(after.globalId);
  });

  it('when a system cannot be reached, then its deliveries are reported unchecked as unreachable, not as mismatches', async () => {
    const from = now();
    await deliveredSale(t, keys);
    await deliveredSale(t, keys);
    t.salesvu!.faults.goDown();
    try {
      const report = await reconcile({ from, to: later() });

      expect(report.mismatches).toEqual([]);
      expect(report.checked).toEqual({ sales: 2, returns: 0 });
      expect(report.unchecked).toEqual([{ target: 'salesvu', reason: 'unreachable', deliveries: 2, detail: expect.stringContaining('index.php') }]);
    } finally {
      t.salesvu!.faults.comeUp();
    }
    const metrics = (await t.http.get('/metrics').set('X-Api-Key', t.adminKey).expect(200)).text;
    expect(metrics).toMatch(/^ticket_gateway_reconciliation_unchecked_deliveries\{target="salesvu"\} 2$/m);
  });

  it("when a cancelled sale's returns were delivered and both systems show them, then the returns agree and are counted", async () => {
    const from = now();
    await returnedSale(t, keys);

    const report = await reconcile({ from, to: later() });

    expect(report).toMatchObject({ checked: { sales: 1, returns: 1 }, mismatches: [], unchecked: [] });
  });

  it('when SalesVu lost a return order, or Tessitura never returned a sale whose return was recorded delivered, then not_returned', async () => {
    const from = now();
    const lostReturn = await returnedSale(t, keys);
    t.salesvu!.drift.loseOrder(lostReturn.salesVuReturnOrderId);
    const neverReturned = await deliveredSale(t, keys);
    // The gateway believes the return was made; Tessitura holds the sale as sold.
    await t.db.knex.raw(
      `INSERT INTO deliveries (global_id, target, kind, waits_for, status, acknowledgment, delivered_at)
       VALUES (?, 'tessitura', 'return', 'tessitura', 'delivered', ?::jsonb, now())`,
      [neverReturned.globalId, JSON.stringify({ order_id: neverReturned.tessituraOrderId, checkout_status: 'SaveComplete', returned_ticket_numbers: [] })],
    );

    const report = await reconcile({ from, to: later() });

    expect(report.checked).toEqual({ sales: 2, returns: 2 });
    expect(report.mismatches).toEqual([
      expect.objectContaining({ kind: 'not_returned', global_id: lostReturn.globalId, target: 'salesvu', order_id: lostReturn.salesVuReturnOrderId, found: null }),
      expect.objectContaining({ kind: 'not_returned', global_id: neverReturned.globalId, target: 'tessitura', order_id: neverReturned.tessituraOrderId, found: 0 }),
    ]);
  });

  it('when a partner or a monitor asks, then 403; staff and admin may', async () => {
    const [partner, monitor] = [keys.partner, await t.createKey('monitor')];
    for (const key of [partner, monitor]) {
      const response = await t.http.get('/v1/reconciliation').set('X-Api-Key', key).expect(403);
      expect(response.body.code).toBe('forbidden');
    }
    await reconcile({ from: now(), to: later() }, t.adminKey);
  });

  it('when the window is backwards, too long or not made of timestamps, then 400 with a stable code', async () => {
    const ask = (query: Record<string, string>) => t.http.get('/v1/reconciliation').query(query).set('X-Api-Key', keys.staff).expect(400);
    expect((await ask({ from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' })).body.code).toBe('invalid_window');
    expect((await ask({ from: '2026-12-01T00:00:00Z', to: '2026-12-01T00:00:00Z' })).body.code).toBe('invalid_window');
    expect((await ask({ from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:01Z' })).body.code).toBe('window_too_long');
    expect((await ask({ from: 'yesterday' })).body.code).toBe('validation_failed');
    expect((await ask({ since: '24h' })).body.code).toBe('validation_failed');
    await reconcile({ from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' });
  });
});

describe('reconciliation that runs out of time', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({ simulators: true, requestDeadlineMs: 2_000 });
  });
  afterAll(() => t.close());

  it("when Tessitura answers slower than the request's deadline allows, then its deliveries are out_of_time and the answer still comes", async () => {
    const keys = await saleKeys(t);
    const from = now();
    await deliveredSale(t, keys);
    t.tessitura!.faults.setLatency({ ms: 3_600_000, operation: 'getOrderProductsView' });

    const response = await t.http.get('/v1/reconciliation').query({ from, to: later() }).set('X-Api-Key', keys.staff).expect(200);

    const report = response.body as ReconciliationReport;
    expect(report.unchecked).toEqual([{ target: 'tessitura', reason: 'out_of_time', deliveries: 1, detail: expect.stringContaining('npm run cli -- reconcile') }]);
    expect(report).toMatchObject({ checked: { sales: 1, returns: 0 }, mismatches: [] });
  });
});
