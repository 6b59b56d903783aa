import request from 'supertest';
import { useSalesVuSimulator, useTessituraSimulator } from './support/simulator-fixtures';
import { orderLine, salesVuCall } from './support/salesvu-client';
import { openCart } from './support/tessitura-client';

const CONNECTION_LOST = /socket hang up|ECONNRESET|EPIPE/;

describe('Fault injection (shared by both simulators)', () => {
  const sim = useTessituraSimulator();

  it('when the next N calls are set to fail, then exactly N fail with that status and the error array, without effect', async () => {
    sim.tess.faults.failNext({ count: 2, status: 503 });

    const first = await sim.api.post('/Web/Session', {}).expect(503);
    await sim.api.post('/Web/Session', {}).expect(503);
    await sim.api.post('/Web/Session', {}).expect(200);

    expect(first.body).toEqual([expect.objectContaining({ Code: 'TESSITURA_INJECTED_FAULT' })]);
    expect(sim.tess.state.sessions()).toHaveLength(1);
    expect(sim.tess.state.requests().map((call) => call.fault)).toEqual(['failed', 'failed', null]);
  });

  it('when a failure is limited to one operation, then only that operation fails', async () => {
    const key = await openCart(sim.api, { seats: 1 });
    sim.tess.faults.failNext({ operation: 'checkout', status: 500 });

    await sim.api.get(`/Web/Cart/${key}`).expect(200);
    await sim.api.post(`/Web/Cart/${key}/Checkout`, { Amount: 50, PaymentReference: 'k' }).expect(500);
    await sim.api.post(`/Web/Cart/${key}/Checkout`, { Amount: 50, PaymentReference: 'k' }).expect(200);

    expect(sim.tess.state.orderCountsByKey()).toEqual({ k: 1 });
  });

  it('when latency is set for one operation, then that operation is slowed and others are not', async () => {
    const latencyMs = 2_000;
    sim.tess.faults.setLatency({ ms: latencyMs, operation: 'getStatus' });

    const started = Date.now();
    let slowAnswered = false;
    const slow = sim.api.get('/Diagnostics/Status').then((response) => {
      slowAnswered = true;
      return response;
    });
    await sim.api.post('/Web/Session', {}).expect(200);

    // Unslowed, the other call is answered while the slowed one still waits.
    expect(slowAnswered).toBe(false);
    expect((await slow).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(latencyMs - 5);
  });

  it('when latency is set for every call, then calls are slowed until it is cleared', async () => {
    sim.tess.faults.setLatency({ ms: 120 });
    const slow = Date.now();
    await sim.api.post('/Web/Session', {}).expect(200);
    expect(Date.now() - slow).toBeGreaterThanOrEqual(115);

    sim.tess.faults.setLatency({ ms: 0 });

    expect(sim.tess.faults.snapshot().latencyMs).toEqual({});
  });

  it('when the answer to a checkout is dropped, then the client gets a broken connection but the order exists', async () => {
    const key = await openCart(sim.api, { seats: 1 });
    sim.tess.faults.dropNext({ operation: 'checkout' });

    await expect(sim.api.post(`/Web/Cart/${key}/Checkout`, { Amount: 50, PaymentReference: 'lost' })).rejects.toThrow(CONNECTION_LOST);

    const session = await sim.api.get(`/Web/Session/${key}`).expect(200);
    expect(session.body.OrderId).toBe(sim.tess.state.orders()[0].orderId);
    expect(sim.tess.state.orderCountsByKey()).toEqual({ lost: 1 });
    const checkout = sim.tess.state.requests().find((call) => call.operation === 'checkout');
    expect(checkout).toMatchObject({ status: 200, fault: 'dropped', responseBody: { Status: 'SaveComplete' } });
  });

  it('when the answer to a session creation is dropped, then the session was created anyway', async () => {
    sim.tess.faults.dropNext({ count: 1 });

    await expect(sim.api.post('/Web/Session', {})).rejects.toThrow(CONNECTION_LOST);

    expect(sim.tess.state.sessions()).toHaveLength(1);
    await sim.api.post('/Web/Session', {}).expect(200);
  });

  it('when the simulator is down, then calls get no answer while the admin API works, and it comes back up', async () => {
    await request(sim.admin).post('/__admin/faults/down').expect(200);

    await expect(sim.api.get('/Diagnostics/Status')).rejects.toThrow(CONNECTION_LOST);
    const state = await request(sim.admin).get('/__admin/state').expect(200);
    expect(state.body.faults.down).toBe(true);

    await request(sim.admin).post('/__admin/faults/up').expect(200);
    await sim.api.get('/Diagnostics/Status').expect(200);
    expect(sim.tess.state.requests().map((call) => [call.status, call.fault])).toEqual([
      [null, 'down'],
      [200, null],
    ]);
  });

  it('when faults are reset, then every fault is gone', async () => {
    sim.tess.faults.failNext({ count: 5 });
    sim.tess.faults.dropNext({ count: 5 });
    sim.tess.faults.setLatency({ ms: 1000 });
    sim.tess.faults.goDown();

    sim.tess.faults.reset();

    expect(sim.tess.faults.snapshot()).toEqual({ down: false, failures: [], drops: [], latencyMs: {} });
    await sim.api.get('/Diagnostics/Status').expect(200);
  });

  it('when a fault names an unknown operation or a bad value, then it is refused', () => {
    expect(() => sim.tess.faults.failNext({ operation: 'chekout' })).toThrow(/unknown operation/);
    expect(() => sim.tess.faults.failNext({ status: 200 })).toThrow(/status/);
    expect(() => sim.tess.faults.dropNext({ count: 0 })).toThrow(/count/);
    expect(() => sim.tess.faults.setLatency({ ms: -1 })).toThrow(/ms/);
  });
});

describe('Fault injection on SalesVu', () => {
  const sim = useSalesVuSimulator();

  it('when create_order is set to fail, then it fails with the SalesVu error body while other actions work', async () => {
    sim.svu.faults.failNext({ operation: 'create_order', status: 502 });

    const failed = await salesVuCall(sim.svu.url, { action: 'create_order', order_details: [orderLine('a')] }).expect(502);
    await salesVuCall(sim.svu.url, { action: 'get_store_order' }).expect(200);
    await salesVuCall(sim.svu.url, { action: 'create_order', order_details: [orderLine('a')] }).expect(200);

    expect(failed.body).toEqual({ status: 'error', message: expect.stringContaining('Injected') });
    expect(sim.svu.state.orderCountsByKey()).toEqual({ a: 1 });
  });

  it('when the answer to create_order is dropped, then the order exists although the client got no answer', async () => {
    sim.svu.faults.dropNext({ operation: 'create_order' });

    await expect(salesVuCall(sim.svu.url, { action: 'create_order', order_details: [orderLine('b')] })).rejects.toThrow(CONNECTION_LOST);

    expect(sim.svu.state.orderCountsByKey()).toEqual({ b: 1 });
  });
});
