import { eventually } from '../support/eventually';
import { ledgerViolations } from '../support/ledger-invariants';
import { idempotencyKeyOf, invoicedSale, saleKeys, type SaleKeys, saleStory, settledStory } from '../support/sales';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

jest.setTimeout(60_000);

describe('the outbox under failures', () => {
  let t: TestGateway;
  let keys: SaleKeys;

  beforeEach(async () => {
    t = await startTestGateway({ simulators: true });
    keys = await saleKeys(t);
  });
  afterEach(async () => {
    expect(await ledgerViolations(t.db.knex)).toEqual([]);
    await t.close();
  });

  const tessituraOrders = (globalId: string) => t.tessitura!.state.orderCountsByKey()[idempotencyKeyOf(globalId)] ?? 0;

  describe('when Tessitura is down', () => {
    it('then invoices keep answering, the breaker opens, and once Tessitura is back every sale arrives once', async () => {
      t.tessitura!.faults.goDown();
      const sales = [];
      for (let i = 0; i < 8; i++) sales.push(await invoicedSale(t, keys));

      expect(Math.max(...sales.map((s) => s.invoiceMs))).toBeLessThan(2_000);
      await eventually(async () => t.gateway.outbox.targets.get('tessitura/sale')!.breakerState(), (state) => state === 'open', 10_000);
      expect(t.gateway.outbox.targets.get('tessitura/sale')!.breakerState()).toBe('open');
      const waiting = await saleStory(t, keys, sales[0].globalId);
      expect(waiting.deliveries.map((d) => d.status)).toEqual(['pending', 'pending']);

      t.tessitura!.faults.comeUp();

      for (const { globalId } of sales) {
        const story = await settledStory(t, keys, globalId, 20_000);
        expect(story.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
        expect(tessituraOrders(globalId)).toBe(1);
      }
      expect(t.gateway.outbox.targets.get('tessitura/sale')!.breakerState()).toBe('closed');
    });
  });

  describe('when two dispatchers share one database', () => {
    it('then each delivery is sent and acknowledged exactly once', async () => {
      const second = await startTestGateway({ db: t.db, downstream: t.downstream });
      try {
        t.tessitura!.faults.setLatency({ ms: 20 });
        const sales = await Promise.all(Array.from({ length: 12 }, () => invoicedSale(t, keys)));

        for (const { globalId } of sales) {
          const story = await settledStory(t, keys, globalId, 20_000);
          expect(story.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
          for (const delivery of story.deliveries) expect(delivery.history.filter((e) => e.kind === 'delivered')).toHaveLength(1);
        }
        const counts = t.tessitura!.state.orderCountsByKey();
        expect(sales.map((s) => counts[idempotencyKeyOf(s.globalId)])).toEqual(sales.map(() => 1));
        const salesvuCounts = t.salesvu!.state.orderCountsByKey();
        expect(sales.map((s) => salesvuCounts[idempotencyKeyOf(s.globalId)])).toEqual(sales.map(() => 1));
      } finally {
        await second.close();
      }
    });
  });

  describe('when the dispatcher stops in the middle of a delivery', () => {
    it('then the delivery is handed back with its progress and the next dispatcher completes it once', async () => {
      t.tessitura!.faults.setLatency({ ms: 1_500, operation: 'checkout' });
      const { globalId } = await invoicedSale(t, keys);
      const checkoutStarted = async () =>
        (await t.db.knex('deliveries').where({ global_id: globalId, target: 'tessitura' }).first()).progress.checkout_attempted_at;
      await eventually(checkoutStarted, Boolean, 10_000);

      await t.gateway.outbox.dispatcher.stop(100);

      const handedBack = await saleStory(t, keys, globalId);
      expect(handedBack.deliveries[0]).toMatchObject({ status: 'pending', attempts: 0 });
      const [row] = await t.db.knex('deliveries').where({ global_id: globalId, target: 'tessitura' });
      expect(row.progress).toMatchObject({ session_key: expect.any(String), checkout_attempted_at: expect.any(String) });

      t.tessitura!.faults.reset();
      const next = await startTestGateway({ db: t.db, downstream: t.downstream });
      try {
        const story = await settledStory(t, keys, globalId);
        expect(story.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
        expect(tessituraOrders(globalId)).toBe(1);
      } finally {
        await next.close();
      }
    });
  });

  describe('when customer data passes its retention', () => {
    it('then the scrub job removes it from the invoice and the delivery payloads, and replays still match', async () => {
      const { globalId } = await invoicedSale(t, keys);
      await t.db.knex('invoices').where({ global_id: globalId }).update({ invoiced_at: t.db.knex.raw("now() - interval '31 days'") });

      await t.gateway.jobs.customerData.runNow();

      const [invoice] = await t.db.knex('invoices').where({ global_id: globalId });
      expect(invoice).toMatchObject({ customer: null, customer_scrubbed_at: expect.any(Date) });
      const deliveries = await t.db.knex('deliveries').where({ global_id: globalId });
      expect(deliveries.map((d) => JSON.stringify(d.payload))).not.toEqual(expect.arrayContaining([expect.stringContaining('Ada')]));
      const replay = await t.http
        .post('/v1/invoices')
        .set('X-Api-Key', keys.partner)
        .send({ global_id: globalId, order_id: `ORD-${globalId}`, customer: { name: 'Ada Lovelace', email: 'ada@example.com' } });
      expect(replay.status).toBe(200);
    });
  });
});

describe('a partner without a downstream mapping', () => {
  it('then its invoices are accepted and their deliveries are dead naming the missing mapping', async () => {
    const t = await startTestGateway({ simulators: true, partners: { tevo: { tessitura: { constituent_id: 1, payment_method_id: 1, mode_of_sale_id: 1, source_id: 1 } } } });
    try {
      const keys = await saleKeys(t, 'vivid');
      const { globalId } = await invoicedSale(t, keys);

      const dead = await eventually(() => saleStory(t, keys, globalId), (s) => s.deliveries[0].status === 'dead', 10_000);

      expect(dead.deliveries[0].last_error).toBe(
        "Missing mapping: partner 'vivid' has no Tessitura constituent_id, payment_method_id, mode_of_sale_id and source_id in PARTNER_MAPPINGS.",
      );
    } finally {
      await t.close();
    }
  });
});
