import request from 'supertest';
import { useTessituraSimulator } from './support/simulator-fixtures';
import { completeSale } from './support/tessitura-client';

describe('Admin HTTP API under /__admin', () => {
  const sim = useTessituraSimulator();

  it('when a failure is set over HTTP, then it shows in /faults and applies to that operation', async () => {
    const set = await request(sim.admin).post('/__admin/faults/fail').send({ count: 1, status: 409, operation: 'createSession' }).expect(200);
    expect(set.body.failures).toEqual([{ remaining: 1, status: 409, operation: 'createSession' }]);

    await sim.api.get('/Diagnostics/Status').expect(200);
    await sim.api.post('/Web/Session', {}).expect(409);

    expect((await request(sim.admin).get('/__admin/faults').expect(200)).body.failures).toEqual([]);
  });

  it('when drops and latency are set over HTTP, then they show in /faults until reset', async () => {
    await request(sim.admin).post('/__admin/faults/drop').send({ count: 2, operation: 'checkout' }).expect(200);
    await request(sim.admin).post('/__admin/faults/latency').send({ ms: 5 }).expect(200);

    const faults = await request(sim.admin).get('/__admin/faults').expect(200);
    expect(faults.body).toEqual({ down: false, failures: [], drops: [{ remaining: 2, operation: 'checkout' }], latencyMs: { '*': 5 } });

    const reset = await request(sim.admin).post('/__admin/faults/reset').expect(200);
    expect(reset.body).toEqual({ down: false, failures: [], drops: [], latencyMs: {} });
  });

  it('when a fault has a bad operation or value, then 400 with a message', async () => {
    const bad = await request(sim.admin).post('/__admin/faults/fail').send({ operation: 'nope' }).expect(400);
    expect(bad.body.error).toMatch(/unknown operation "nope"/);
    await request(sim.admin).post('/__admin/faults/latency').send({}).expect(400);
    await request(sim.admin).post('/__admin/faults/drop').set('Content-Type', 'application/json').send('{').expect(400);
  });

  it('when the state is read, then it shows orders, per-key counts, sessions and a request summary, without admin calls', async () => {
    await completeSale(sim.api, { reference: 'k1' });

    const state = await request(sim.admin).get('/__admin/state').expect(200);

    expect(state.body).toMatchObject({
      orders: [expect.objectContaining({ paymentReference: 'k1' })],
      orderCountsByKey: { k1: 1 },
      sessions: [expect.objectContaining({ key: expect.any(String) })],
      requests: { total: 8, byOperation: expect.objectContaining({ checkout: 1, getCart: 1, updateCartProperties: 1 }), byStatus: { '200': 8 } },
      faults: { down: false },
    });
    const requests = await request(sim.admin).get('/__admin/requests').expect(200);
    expect(requests.body.map((call: { operation: string }) => call.operation)).toEqual([
      'createBusinessFacingSession',
      'setConstituent',
      'reserveTickets',
      'getCartProperties',
      'updateCartProperties',
      'getCart',
      'applyOtherPayment',
      'checkout',
    ]);
  });

  it('when the state is reset, then orders, sessions, requests and catalogue changes are gone', async () => {
    await completeSale(sim.api);
    sim.tess.catalogue.removePerformance(1);

    await request(sim.admin).post('/__admin/state/reset').expect(204);

    expect(sim.tess.state.orders()).toEqual([]);
    expect(sim.tess.state.sessions()).toEqual([]);
    expect(sim.tess.state.requests()).toEqual([]);
    expect(sim.tess.state.availability(1).known).toBe(true);
  });

  it('when everything is reset, then faults and state are both cleared', async () => {
    await completeSale(sim.api);
    sim.tess.faults.goDown();

    await request(sim.admin).post('/__admin/reset').expect(204);

    expect(sim.tess.faults.isDown).toBe(false);
    expect(sim.tess.state.orders()).toEqual([]);
  });
});
