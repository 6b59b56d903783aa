import pino from 'pino';
import { SALESVU_DEMO_STORES, startSalesVuSimulator, type SalesVuSimulator } from '../../simulators';
import { TargetBreaker } from '../../src/downstream/circuit-breaker';
import { DownstreamError } from '../../src/downstream/downstream-error';
import { SalesVuClient } from '../../src/downstream/salesvu/salesvu-client';
import { recordSalesVuReturn, type SalesVuReturn, type SalesVuReturnProgress } from '../../src/downstream/salesvu/salesvu-return';
import { recordSalesVuSale, type SalesVuSale } from '../../src/downstream/salesvu/salesvu-sale';

const STORE = Object.keys(SALESVU_DEMO_STORES)[0];
const RETURN_KEY = 'tg-h1-return';

const SALE: SalesVuSale = {
  storeId: STORE,
  idempotencyKey: 'tg-h1',
  line: { product_id: '90817', quantity: 2, selling_price: 125 },
  notes: ['Tessitura order 100001', 'tevo order ORD-1 (hold h1)'],
};

describe('returning a sale in SalesVu (recordSalesVuReturn against the simulator)', () => {
  let svu: SalesVuSimulator;
  let breaker: TargetBreaker;
  let client: SalesVuClient;
  let progress: SalesVuReturnProgress;
  let saved: SalesVuReturnProgress[];

  beforeEach(async () => {
    svu = await startSalesVuSimulator({ port: 0 });
    breaker = new TargetBreaker('salesvu', pino({ level: 'silent' }));
    client = new SalesVuClient({ url: svu.url, storeKeys: SALESVU_DEMO_STORES }, breaker, 5_000);
    progress = {};
    saved = [];
  });
  afterEach(async () => {
    breaker.shutdown();
    await svu.close();
  });

  /** The sale recorded (and completed) as the outbox records it; answers its return. */
  async function recordedSale(): Promise<SalesVuReturn> {
    const ack = await recordSalesVuSale(client, SALE, { progress: {}, saveProgress: async () => {}, signal: new AbortController().signal });
    return { storeId: STORE, idempotencyKey: RETURN_KEY, originalOrderId: ack.order_id, notes: ['Tessitura order 100001 returned', 'tevo cancelled ORD-1'] };
  }

  const attempt = (ret: SalesVuReturn) =>
    recordSalesVuReturn(client, ret, {
      progress,
      saveProgress: async (next) => {
        progress = next;
        saved.push(next);
      },
      signal: new AbortController().signal,
    });
  const callsSince = (mark: number) => svu.state.requests().slice(mark).map((call) => call.operation);
  const returnOrders = () => svu.state.orders(STORE).filter((order) => order.order_details.some((line) => line.quantity < 0));

  it("when all goes well, then an order mirroring the sale's lines with negative quantities, noting the original, is created and completed", async () => {
    const ret = await recordedSale();
    const mark = svu.state.requests().length;

    const ack = await attempt(ret);

    expect(callsSince(mark)).toEqual(['get_order', 'create_order', 'complete_order']);
    expect(ack).toEqual({ order_id: expect.any(Number), store_id: STORE, original_order_id: ret.originalOrderId, total: -250 });
    expect(saved).toEqual([{ create_attempted_at: expect.any(String) }, { order_id: ack.order_id }]);
    const [returned] = returnOrders();
    expect(returned).toMatchObject({
      order_id: ack.order_id,
      order_status: 'completed',
      total: -250,
      order_details: [
        {
          product_id: '90817',
          quantity: -2,
          selling_price: 125,
          notes: [
            { comment: `gateway-key:${RETURN_KEY}` },
            { comment: `return of SalesVu order ${ret.originalOrderId}` },
            { comment: 'Tessitura order 100001 returned' },
            { comment: 'tevo cancelled ORD-1' },
          ],
        },
      ],
    });
    expect(svu.state.orders(STORE).find((order) => order.order_id === ret.originalOrderId)).toMatchObject({ order_status: 'completed', total: 250 });
    expect(svu.state.orderCountsByKey()).toEqual({ 'tg-h1': 1, [RETURN_KEY]: 1 });
  });

  it("when the create's answer is lost, then the next attempt finds the return by its key note and completes it, creating nothing", async () => {
    const ret = await recordedSale();
    svu.faults.dropNext({ operation: 'create_order' });

    await expect(attempt(ret)).rejects.toBeInstanceOf(DownstreamError);
    const mark = svu.state.requests().length;
    const ack = await attempt(ret);

    expect(callsSince(mark)).toEqual(['get_store_order', 'get_order', 'complete_order']);
    expect(ack).toMatchObject({ order_id: returnOrders()[0].order_id, total: -250 });
    expect(svu.state.orderCountsByKey()[RETURN_KEY]).toBe(1);
    expect(returnOrders().map((order) => order.order_status)).toEqual(['completed']);
  });

  it("when the complete's answer is lost, then the next attempt reads the return, sees it completed and does nothing more", async () => {
    const ret = await recordedSale();
    svu.faults.dropNext({ operation: 'complete_order' });

    await expect(attempt(ret)).rejects.toBeInstanceOf(DownstreamError);
    const mark = svu.state.requests().length;
    const ack = await attempt(ret);

    expect(callsSince(mark)).toEqual(['get_order']);
    expect(ack).toMatchObject({ order_id: returnOrders()[0].order_id, total: -250 });
    expect(svu.state.orderCountsByKey()[RETURN_KEY]).toBe(1);
  });

  it('when the create failed before SalesVu took it, then the next attempt finds no return and creates it once', async () => {
    const ret = await recordedSale();
    svu.faults.failNext({ operation: 'create_order', status: 503 });

    await expect(attempt(ret)).rejects.toBeInstanceOf(DownstreamError);
    const mark = svu.state.requests().length;
    await attempt(ret);

    expect(callsSince(mark)).toEqual(['get_store_order', 'get_order', 'create_order', 'complete_order']);
    expect(svu.state.orderCountsByKey()[RETURN_KEY]).toBe(1);
  });

  it('when the original order is unknown, then nothing is created and the error is permanent', async () => {
    const refused = await attempt({ storeId: STORE, idempotencyKey: RETURN_KEY, originalOrderId: 999, notes: [] }).catch((err: unknown) => err);

    expect(refused).toBeInstanceOf(DownstreamError);
    expect(refused).toMatchObject({ permanent: true, message: 'get_order: Order 999 not found' });
    expect([svu.state.orders(), progress]).toEqual([[], {}]);
  });
});
