import request from 'supertest';
import { useSalesVuSimulator, useTessituraSimulator } from './support/simulator-fixtures';
import { orderLine, salesVuCall } from './support/salesvu-client';
import { completeSale } from './support/tessitura-client';

describe('Exactly-once accounting: orders counted per idempotency key, never merged', () => {
  describe('Tessitura (key = the checkout PaymentReference)', () => {
    const sim = useTessituraSimulator();

    it('when two sessions check out with the same reference, then two orders are counted for it', async () => {
      await completeSale(sim.api, { reference: 'dup' });
      await completeSale(sim.api, { reference: 'dup' });
      await completeSale(sim.api, { reference: 'single' });

      expect(sim.tess.state.orderCountsByKey()).toEqual({ dup: 2, single: 1 });
      expect(sim.tess.state.orders().map((order) => order.orderId)).toEqual([100001, 100002, 100003]);
      const state = await request(sim.admin).get('/__admin/state').expect(200);
      expect(state.body.orderCountsByKey).toEqual({ dup: 2, single: 1 });
    });
  });

  describe('SalesVu (key = a note comment "gateway-key:<key>")', () => {
    const sim = useSalesVuSimulator();

    it('when the same key is sent on two orders, then two orders are counted for it', async () => {
      await salesVuCall(sim.svu.url, { action: 'create_order', order_details: [orderLine('dup')] }).expect(200);
      await salesVuCall(sim.svu.url, { action: 'create_order', order_details: [orderLine('dup')] }).expect(200);

      expect(sim.svu.state.orderCountsByKey()).toEqual({ dup: 2 });
      expect(sim.svu.state.orders()).toHaveLength(2);
    });

    it('when an order carries its key on several lines or in a later note, then it counts once per key', async () => {
      const created = await salesVuCall(sim.svu.url, { action: 'create_order', order_details: [orderLine('k'), orderLine('k'), orderLine()] }).expect(200);
      await salesVuCall(sim.svu.url, { action: 'add_order_note', order_id: created.body.order_id, comment: 'gateway-key:k' }).expect(200);
      const plain = await salesVuCall(sim.svu.url, { action: 'create_order', order_details: [orderLine()] }).expect(200);
      await salesVuCall(sim.svu.url, { action: 'add_order_note', order_id: plain.body.order_id, comment: 'gateway-key:late' }).expect(200);

      expect(sim.svu.state.orderCountsByKey()).toEqual({ k: 1, late: 1 });
    });
  });
});
