import { eventually } from '../support/eventually';
import { listingInput, uniqueId } from '../support/fixtures';
import { invoicedSale, saleKeys, type SaleKeys, settledStory } from '../support/sales';
import { startTestGateway, TEST_DELIVERIES, type TestGateway } from '../support/test-gateway';

describe('monitoring', () => {
  let t: TestGateway;
  let keys: SaleKeys;
  let monitor: string;

  beforeAll(async () => {
    t = await startTestGateway({ simulators: true });
    keys = await saleKeys(t);
    monitor = await t.createKey('monitor');
  });
  afterAll(() => t.close());

  const metrics = async () => (await t.http.get('/metrics').set('X-Api-Key', monitor).expect(200)).text;
  const sample = (text: string, name: string, labels: string) =>
    Number(new RegExp(`^${name}\\{${labels}\\} (\\S+)$`, 'm').exec(text)?.[1]);

  describe('when Prometheus scrapes /metrics', () => {
    it('then it finds request latency by route and status with a 5 s bucket, and operation outcomes by problem code', async () => {
      const remoteId = uniqueId('listing');
      await t.http.put(`/v1/listings/${remoteId}`).set('X-Api-Key', keys.inventory).send(listingInput({ quantity: 1 })).expect(201);
      await t.http.post('/v1/holds').set('X-Api-Key', keys.partner).send({ global_id: uniqueId('h'), remote_id: remoteId, quantity: 1 }).expect(201);
      await t.http.post('/v1/holds').set('X-Api-Key', keys.partner).send({ global_id: uniqueId('h'), remote_id: remoteId, quantity: 1 }).expect(409);

      const text = await metrics();

      expect(text).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);
      expect(sample(text, 'http_request_duration_seconds_bucket', 'le="5",method="POST",route="/v1/holds",status="201"')).toBe(1);
      expect(sample(text, 'ticket_gateway_operation_outcomes_total', 'operation="createHold",outcome="created"')).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'ticket_gateway_operation_outcomes_total', 'operation="createHold",outcome="insufficient_inventory"')).toBe(1);
      expect(text).toMatch(/^process_cpu_user_seconds_total /m);
      expect(text).toMatch(/^ticket_gateway_db_pool_connections\{state="used"\} \d+$/m);
    });

    it('then the ledger counters and the outbox per target are there', async () => {
      const { globalId } = await invoicedSale(t, keys);
      await settledStory(t, keys, globalId);

      const text = await metrics();

      const [quantity, available, held, sold] = ['quantity', 'available', 'held', 'sold'].map((state) =>
        sample(text, 'ticket_gateway_tickets', `state="${state}"`),
      );
      expect(quantity).toBe(available + held + sold);
      expect(sold).toBeGreaterThanOrEqual(2);
      expect(sample(text, 'ticket_gateway_outbox_deliveries', 'target="tessitura",status="pending"')).toBe(0);
      expect(sample(text, 'ticket_gateway_outbox_oldest_pending_seconds', 'target="salesvu"')).toBe(0);
      expect(sample(text, 'ticket_gateway_breaker_state', 'target="tessitura"')).toBe(0);
      expect(sample(text, 'ticket_gateway_delivery_concurrency_limit', 'target="tessitura"')).toBe(TEST_DELIVERIES.concurrency);
      expect(sample(text, 'ticket_gateway_delivery_concurrency_limit', 'target="webhook"')).toBe(TEST_DELIVERIES.concurrency);
      expect(sample(text, 'ticket_gateway_delivery_outcomes_total', 'target="tessitura",outcome="delivered"')).toBeGreaterThanOrEqual(1);
    });

    it('then breaker transitions open, half-open and closed are counted', async () => {
      t.tessitura!.faults.goDown();
      const sales = [];
      for (let i = 0; i < 5; i++) sales.push(await invoicedSale(t, keys));
      const opened = async () => sample(await metrics(), 'ticket_gateway_breaker_transitions_total', 'target="tessitura",state="open"');
      expect(await eventually(opened, (count) => count >= 1, 30_000)).toBeGreaterThanOrEqual(1);

      t.tessitura!.faults.comeUp();
      for (const { globalId } of sales) await settledStory(t, keys, globalId);

      const text = await metrics();
      for (const state of ['open', 'half_open', 'closed']) {
        expect(sample(text, 'ticket_gateway_breaker_transitions_total', `target="tessitura",state="${state}"`)).toBeGreaterThanOrEqual(1);
      }
      expect(sample(text, 'ticket_gateway_delivery_outcomes_total', 'target="tessitura",outcome="postponed"')).toBeGreaterThanOrEqual(1);
    }, 120_000);
  });

  describe('when an answer leaves', () => {
    it('then a staff, monitor or admin caller gets Server-Timing with database and total time', async () => {
      for (const response of [
        await t.http.get('/v1/holds/nope').set('X-Api-Key', keys.staff),
        await t.http.get('/v1/slo').set('X-Api-Key', monitor),
        await t.http.get('/v1/api-keys').set('X-Api-Key', t.adminKey),
      ]) {
        expect(response.headers['server-timing']).toMatch(/^db;dur=\d+\.\d, total;dur=\d+\.\d$/);
      }
    });

    it("then a partner, inventory or anonymous caller gets no Server-Timing (the database time would tell a hold's state)", async () => {
      for (const response of [
        await t.http.get('/healthz'),
        await t.http.get('/v1/holds/nope').set('X-Api-Key', keys.partner),
        await t.http.post('/v1/holds').set('X-Api-Key', keys.partner).send('{'),
        await t.http.get('/v1/listings/nope').set('X-Api-Key', keys.inventory),
      ]) {
        expect(response.headers['server-timing']).toBeUndefined();
      }
    });
  });

  describe('when the outbox summary is read', () => {
    it('then each target shows its breaker state and backlog', async () => {
      const response = await t.http.get('/v1/outbox').set('X-Api-Key', monitor).expect(200);
      expect(response.body.targets.map((entry: { target: string }) => entry.target)).toEqual(['tessitura', 'salesvu', 'webhook']);
      expect(response.body.targets[0]).toEqual({ target: 'tessitura', breaker: expect.any(String), pending: expect.any(Number), dead: expect.any(Number), oldest_pending_seconds: null });
    });
  });
});
