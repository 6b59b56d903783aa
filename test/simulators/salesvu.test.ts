import request from 'supertest';
import { DEMO_API_KEY, DEMO_STORE_ID, orderLine, salesVuCall } from './support/salesvu-client';
import { useSalesVuSimulator } from './support/simulator-fixtures';

describe('SalesVu simulator', () => {
  const sim = useSalesVuSimulator({ stores: { [DEMO_STORE_ID]: DEMO_API_KEY, '2002': 'other-key' } });
  const call = (fields: Record<string, unknown>) => salesVuCall(sim.svu.url, fields);
  const createOrder = async (key?: string): Promise<number> =>
    (await call({ action: 'create_order', order_details: [orderLine(key)] }).expect(200)).body.order_id;

  it('when started on port 0, then its url is the loopback index.php endpoint', () => {
    expect(sim.svu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/townvu\/api\/index\.php$/);
  });

  it('when an order is created, completed and read, then it shows its details, notes and status', async () => {
    const created = await call({ action: 'create_order', order_details: [orderLine('k1')] }).expect(200);
    expect(created.body).toEqual({ status: 'ok', order_id: expect.any(Number) });
    const orderId = created.body.order_id;

    await call({ action: 'add_order_note', order_id: orderId, comment: 'tessitura-order:100001' }).expect(200, {
      status: 'ok',
      order_id: orderId,
      note_id: 1,
    });
    await call({ action: 'complete_order', order_id: String(orderId) }).expect(200, { status: 'ok', order_id: orderId, order_status: 'completed' });
    const read = await call({ action: 'get_order', order_id: orderId }).expect(200);

    expect(read.body).toEqual({
      status: 'ok',
      order: {
        order_id: orderId,
        store_id: DEMO_STORE_ID,
        order_status: 'completed',
        created_at: expect.any(String),
        completed_at: expect.any(String),
        total: 91,
        order_details: [orderLine('k1')],
        notes: [{ note_id: 1, comment: 'tessitura-order:100001', created_at: expect.any(String) }],
      },
    });
  });

  it('when an order is completed twice, then the second time is an error', async () => {
    const orderId = await createOrder();
    await call({ action: 'complete_order', order_id: orderId }).expect(200);

    const again = await call({ action: 'complete_order', order_id: orderId }).expect(200);

    expect(again.body).toEqual({ status: 'error', message: `Order ${orderId} is already completed` });
  });

  it('when an unknown order is completed or read, then it is an error', async () => {
    expect((await call({ action: 'complete_order', order_id: 999 }).expect(200)).body).toEqual({ status: 'error', message: 'Order 999 not found' });
    expect((await call({ action: 'get_order', order_id: 999 }).expect(200)).body.status).toBe('error');
  });

  it('when the api_key does not belong to the store, then it is an error and nothing is created', async () => {
    const wrong = await salesVuCall(sim.svu.url, { action: 'create_order', order_details: [orderLine()] }, { store_id: DEMO_STORE_ID, api_key: 'other-key' }).expect(200);

    expect(wrong.body).toEqual({ status: 'error', message: 'Invalid store_id or api_key' });
    await salesVuCall(sim.svu.url, { action: 'get_store_order' }, { store_id: '3003', api_key: 'other-key' }).expect(200, {
      status: 'error',
      message: 'Invalid store_id or api_key',
    });
    expect(sim.svu.state.orders()).toEqual([]);
  });

  it('when another store asks for an order, then it is not found: orders are kept per store', async () => {
    const orderId = await createOrder();

    const foreign = await salesVuCall(sim.svu.url, { action: 'get_order', order_id: orderId }, { store_id: '2002', api_key: 'other-key' }).expect(200);

    expect(foreign.body.status).toBe('error');
    expect(sim.svu.state.orders('2002')).toEqual([]);
    expect(sim.svu.state.orders(DEMO_STORE_ID)).toHaveLength(1);
  });

  it('when the store orders are listed, then they come filtered by status', async () => {
    const open = await createOrder();
    const done = await createOrder();
    await call({ action: 'complete_order', order_id: done }).expect(200);

    const all = await call({ action: 'get_store_order' }).expect(200);
    const completed = await call({ action: 'get_store_order', order_status: 'completed' }).expect(200);

    expect(all.body.orders.map((order: { order_id: number }) => order.order_id)).toEqual([open, done]);
    expect(completed.body).toEqual({ status: 'ok', orders: [expect.objectContaining({ order_id: done })] });
  });

  it('when an order has a negative quantity (a return, as the gateway assumes), then it is kept and listed with a negative total', async () => {
    const sold = await createOrder('tg-h1');
    const returned = await call({
      action: 'create_order',
      order_details: [{ ...orderLine(), quantity: -2, notes: [{ comment: 'gateway-key:tg-h1-return' }, { comment: `return of SalesVu order ${sold}` }] }],
    }).expect(200);
    await call({ action: 'complete_order', order_id: returned.body.order_id }).expect(200);

    const read = await call({ action: 'get_order', order_id: returned.body.order_id }).expect(200);
    const listed = await call({ action: 'get_store_order', order_status: 'completed' }).expect(200);

    expect(read.body.order).toMatchObject({ order_status: 'completed', total: -91, order_details: [expect.objectContaining({ quantity: -2 })] });
    expect(listed.body.orders).toEqual([read.body.order]);
    expect(sim.svu.state.orderCountsByKey()).toEqual({ 'tg-h1': 1, 'tg-h1-return': 1 });
  });

  it.each([
    ['no order_details', {}, 'order_details must be a non-empty array'],
    ['a line without product_id', { order_details: [{ ...orderLine(), product_id: undefined }] }, 'order_details[0].product_id is required'],
    ['a quantity of 0', { order_details: [{ ...orderLine(), quantity: 0 }] }, 'order_details[0].quantity must be a number other than 0'],
    ['a quantity given as text', { order_details: [{ ...orderLine(), quantity: '-2' }] }, 'order_details[0].quantity must be a number other than 0'],
    ['a price given as text', { order_details: [{ ...orderLine(), selling_price: '9' }] }, 'order_details[0].selling_price must be a non-negative number'],
    ['a note without comment', { order_details: [{ ...orderLine(), notes: [{}] }] }, 'order_details[0].notes[].comment must be a non-empty string'],
  ])('when create_order has %s, then it is an error', async (_case, fields, message) => {
    const answer = await call({ action: 'create_order', ...fields }).expect(200);

    expect(answer.body).toEqual({ status: 'error', message });
  });

  it('when the form has no JSON request or an unknown action, then it is an error', async () => {
    const notJson = await request(sim.svu.url).post('').type('form').send({ request: '{"api_key":' }).expect(200);
    const unknown = await call({ action: 'delete_everything' }).expect(200);

    expect(notJson.body).toEqual({ status: 'error', message: expect.stringContaining('JSON object') });
    expect(unknown.body).toEqual({ status: 'error', message: 'Unknown action "delete_everything"' });
  });

  it('when requests are recorded, then the api_key is never kept', async () => {
    await createOrder();
    await request(sim.svu.url).post('').type('form').send({ request: `{"api_key":"${DEMO_API_KEY}"` }).expect(200);

    const recorded = JSON.stringify(sim.svu.state.requests());

    expect(recorded).not.toContain(DEMO_API_KEY);
    expect(sim.svu.state.requests()[0]).toMatchObject({ operation: 'create_order', requestBody: { api_key: '[redacted]', store_id: DEMO_STORE_ID }, status: 200 });
  });
});
