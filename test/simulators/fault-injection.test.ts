import request from 'supertest';
import { startSalesVuSimulator, startTessituraSimulator, type SalesVuSimulator, type TessituraSimulator } from '../../simulators';
import { orderLine, salesVuCall } from './support/salesvu-client';
import { openCart, tessituraClient, type TessituraClient } from './support/tessitura-client';

const CONNECTION_LOST = /socket hang up|ECONNRESET|EPIPE/;

describe('Fault injection (shared by both simulators)', () => {
  let tess: TessituraSimulator;
  let api: TessituraClient;

  beforeEach(async () => {
    tess = await startTessituraSimulator({ port: 0 });
    api = tessituraClient(tess.url);
  });
  afterEach(() => tess.close());

  it('when the next N calls are set to fail, then exactly N fail with that status and the error array, without effect', async () => {
    tess.faults.failNext({ count: 2, status: 503 });

    const first = await api.post('/Web/Session', {}).expect(503);
    await api.post('/Web/Session', {}).expect(503);
    await api.post('/Web/Session', {}).expect(200);

    expect(first.body).toEqual([expect.objectContaining({ Code: 'TESSITURA_INJECTED_FAULT' })]);
    expect(tess.state.sessions()).toHaveLength(1);
    expect(tess.state.requests().map((call) => call.fault)).toEqual(['failed', 'failed', null]);
  });

  it('when a failure is limited to one operation, then only that operation fails', async () => {
    const key = await openCart(api, { seats: 1 });
    tess.faults.failNext({ operation: 'checkout', status: 500 });

    await api.get(`/Web/Cart/${key}`).expect(200);
    await api.post(`/Web/Cart/${key}/Checkout`, { Amount: 50, PaymentReference: 'k' }).expect(500);
    await api.post(`/Web/Cart/${key}/Checkout`, { Amount: 50, PaymentReference: 'k' }).expect(200);

    expect(tess.state.orderCountsByKey()).toEqual({ k: 1 });
  });

  it('when latency is set for one operation, then that operation is slowed and others are not', async () => {
    tess.faults.setLatency({ ms: 300, operation: 'getStatus' });

    const slow = Date.now();
    await api.get('/Diagnostics/Status').expect(200);
    const slowMs = Date.now() - slow;
    const fast = Date.now();
    await api.post('/Web/Session', {}).expect(200);
    const fastMs = Date.now() - fast;

    expect(slowMs).toBeGreaterThanOrEqual(295);
    expect(fastMs).toBeLessThan(200);
  });

  it('when latency is set for every call, then calls are slowed until it is cleared', async () => {
    tess.faults.setLatency({ ms: 120 });
    const slow = Date.now();
    await api.post('/Web/Session', {}).expect(200);
    expect(Date.now() - slow).toBeGreaterThanOrEqual(115);

    tess.faults.setLatency({ ms: 0 });

    expect(tess.faults.snapshot().latencyMs).toEqual({});
  });

  it('when the answer to a checkout is dropped, then the client gets a broken connection but the order exists', async () => {
    const key = await openCart(api, { seats: 1 });
    tess.faults.dropNext({ operation: 'checkout' });

    await expect(api.post(`/Web/Cart/${key}/Checkout`, { Amount: 50, PaymentReference: 'lost' })).rejects.toThrow(CONNECTION_LOST);

    const session = await api.get(`/Web/Session/${key}`).expect(200);
    expect(session.body.OrderId).toBe(tess.state.orders()[0].orderId);
    expect(tess.state.orderCountsByKey()).toEqual({ lost: 1 });
    const checkout = tess.state.requests().find((call) => call.operation === 'checkout');
    expect(checkout).toMatchObject({ status: 200, fault: 'dropped', responseBody: { Status: 'SaveComplete' } });
  });

  it('when the answer to a session creation is dropped, then the session was created anyway', async () => {
    tess.faults.dropNext({ count: 1 });

    await expect(api.post('/Web/Session', {})).rejects.toThrow(CONNECTION_LOST);

    expect(tess.state.sessions()).toHaveLength(1);
    await api.post('/Web/Session', {}).expect(200);
  });

  it('when the simulator is down, then calls get no answer while the admin API works, and it comes back up', async () => {
    const admin = new URL(tess.url).origin;
    await request(admin).post('/__admin/faults/down').expect(200);

    await expect(api.get('/Diagnostics/Status')).rejects.toThrow(CONNECTION_LOST);
    const state = await request(admin).get('/__admin/state').expect(200);
    expect(state.body.faults.down).toBe(true);

    await request(admin).post('/__admin/faults/up').expect(200);
    await api.get('/Diagnostics/Status').expect(200);
    expect(tess.state.requests().map((call) => [call.status, call.fault])).toEqual([
      [null, 'down'],
      [200, null],
    ]);
  });

  it('when faults are reset, then every fault is gone', async () => {
    tess.faults.failNext({ count: 5 });
    tess.faults.dropNext({ count: 5 });
    tess.faults.setLatency({ ms: 1000 });
    tess.faults.goDown();

    tess.faults.reset();

    expect(tess.faults.snapshot()).toEqual({ down: false, failures: [], drops: [], latencyMs: {} });
    await api.get('/Diagnostics/Status').expect(200);
  });

  it('when a fault names an unknown operation or a bad value, then it is refused', () => {
    expect(() => tess.faults.failNext({ operation: 'chekout' })).toThrow(/unknown operation/);
    expect(() => tess.faults.failNext({ status: 200 })).toThrow(/status/);
    expect(() => tess.faults.dropNext({ count: 0 })).toThrow(/count/);
    expect(() => tess.faults.setLatency({ ms: -1 })).toThrow(/ms/);
  });
});

describe('Fault injection on SalesVu', () => {
  let svu: SalesVuSimulator;

  beforeEach(async () => {
    svu = await startSalesVuSimulator({ port: 0 });
  });
  afterEach(() => svu.close());

  it('when create_order is set to fail, then it fails with the SalesVu error body while other actions work', async () => {
    svu.faults.failNext({ operation: 'create_order', status: 502 });

    const failed = await salesVuCall(svu.url, { action: 'create_order', order_details: [orderLine('a')] }).expect(502);
    await salesVuCall(svu.url, { action: 'get_store_order' }).expect(200);
    await salesVuCall(svu.url, { action: 'create_order', order_details: [orderLine('a')] }).expect(200);

    expect(failed.body).toEqual({ status: 'error', message: expect.stringContaining('Injected') });
    expect(svu.state.orderCountsByKey()).toEqual({ a: 1 });
  });

  it('when the answer to create_order is dropped, then the order exists although the client got no answer', async () => {
    svu.faults.dropNext({ operation: 'create_order' });

    await expect(salesVuCall(svu.url, { action: 'create_order', order_details: [orderLine('b')] })).rejects.toThrow(CONNECTION_LOST);

    expect(svu.state.orderCountsByKey()).toEqual({ b: 1 });
  });
});
