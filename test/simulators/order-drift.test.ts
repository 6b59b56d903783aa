import request from 'supertest';
import { useSalesVuSimulator, useTessituraSimulator } from './support/simulator-fixtures';
import { orderLine, salesVuCall } from './support/salesvu-client';
import { completeSale } from './support/tessitura-client';

describe('Tessitura order drift (/__admin/drift)', () => {
  const sim = useTessituraSimulator();

  const savedOrderId = async () => {
    await completeSale(sim.api, { seats: 2 });
    return sim.tess.state.orders()[0].orderId;
  };
  const ticketsOf = async (orderId: number) => {
    const view = await sim.api.get(`/TXN/Orders/${orderId}/ProductsView`).expect(200);
    return view.body.Products.flatMap((product: { Performance: { LineItem: { SubLineItems: { TicketNumber: number }[] } } }) =>
      product.Performance.LineItem.SubLineItems.map((sub) => sub.TicketNumber),
    );
  };

  it('when an order is lost, then ProductsView answers 404 and SubLineItems no longer names it', async () => {
    const orderId = await savedOrderId();

    await request(sim.admin).post('/__admin/drift/lose-order').send({ order_id: orderId }).expect(200, { order_id: orderId, lost: true });

    await sim.api.get(`/TXN/Orders/${orderId}/ProductsView`).expect(404);
    expect((await sim.api.get('/TXN/SubLineItems?constituentId=4242').expect(200)).body).toEqual([]);
  });

  it('when an order\'s ticket count changes, then its last seats go, or seats like its last one come with new ticket numbers', async () => {
    const orderId = await savedOrderId();
    const [first, second] = await ticketsOf(orderId);

    sim.tess.drift.setTicketCount(orderId, 1);
    expect(await ticketsOf(orderId)).toEqual([first]);

    await request(sim.admin).post('/__admin/drift/ticket-count').send({ order_id: orderId, count: 3 }).expect(200);
    const grown = await ticketsOf(orderId);
    expect(grown).toHaveLength(3);
    expect(grown[0]).toBe(first);
    expect(new Set(grown).size).toBe(3);
    expect(grown).not.toContain(second);
  });

  it('when a drift names no saved order or a bad count, then 400 with a message', async () => {
    const orderId = await savedOrderId();
    const unknown = await request(sim.admin).post('/__admin/drift/lose-order').send({ order_id: orderId + 1 }).expect(400);
    expect(unknown.body.error).toMatch(/No saved order/);
    await request(sim.admin).post('/__admin/drift/ticket-count').send({ order_id: orderId, count: -1 }).expect(400);
    await request(sim.admin).post('/__admin/drift/ticket-count').send({ order_id: 'x', count: 1 }).expect(400);
  });
});

describe('SalesVu order drift (/__admin/drift)', () => {
  const sim = useSalesVuSimulator();

  const createdOrderId = async () => (await salesVuCall(sim.svu.url, { action: 'create_order', order_details: [orderLine('k1')] }).expect(200)).body.order_id as number;

  it('when an order is lost, then get_order answers that it is not found', async () => {
    const orderId = await createdOrderId();

    await request(new URL(sim.svu.url).origin).post('/__admin/drift/lose-order').send({ order_id: orderId }).expect(200);

    const answer = await salesVuCall(sim.svu.url, { action: 'get_order', order_id: orderId }).expect(200);
    expect(answer.body).toEqual({ status: 'error', message: `Order ${orderId} not found` });
  });

  it("when an order's ticket count changes, then its line's quantity and its total follow", async () => {
    const orderId = await createdOrderId();

    await request(new URL(sim.svu.url).origin).post('/__admin/drift/ticket-count').send({ order_id: orderId, count: 3 }).expect(200);

    const answer = await salesVuCall(sim.svu.url, { action: 'get_order', order_id: orderId }).expect(200);
    expect(answer.body.order).toMatchObject({ total: 136.5, order_details: [{ quantity: 3, selling_price: 45.5 }] });
    expect(() => sim.svu.drift.setTicketCount(orderId + 1, 1)).toThrow(/No order/);
  });
});
