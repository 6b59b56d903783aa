import { eventually } from '../support/eventually';
import { idempotencyKeyOf, invoicedSale, saleKeys, type SaleKeys, saleStory, settledStory } from '../support/sales';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const PATIENT_MS = 30_000;
type Story = Awaited<ReturnType<typeof saleStory>>;
type Delivery = Story['deliveries'][number];

const returnKeyOf = (globalId: string) => `${idempotencyKeyOf(globalId)}-return`;
const settled = (story: Story) => story.deliveries.filter((d) => d.kind !== 'event').every((d) => d.status !== 'pending');
const statuses = (story: Story) =>
  story.deliveries.filter((d: Delivery) => d.kind !== 'event').map((d: Delivery) => `${d.target} ${d.kind} ${d.status}`);

/**
 * How a cancelled sale ended downstream: recorded and returned once, or never recorded, in each system.
 * (A SalesVu return is an order of its own carrying the return key.)
 */
function downstreamOutcome(t: TestGateway, globalId: string) {
  const tessituraOrders = t.tessitura!.state.orderCountsByKey()[idempotencyKeyOf(globalId)] ?? 0;
  const tessituraReturns = t.tessitura!.state.returnCountsByKey()[returnKeyOf(globalId)] ?? 0;
  const salesvuOrders = t.salesvu!.state.orderCountsByKey()[idempotencyKeyOf(globalId)] ?? 0;
  const salesvuReturns = t.salesvu!.state.orderCountsByKey()[returnKeyOf(globalId)] ?? 0;
  const outcome = (orders: number, returns: number) => (orders === 0 && returns === 0 ? 'never recorded' : orders === 1 && returns === 1 ? 'recorded and returned' : `${orders} orders, ${returns} returns`);
  return { tessitura: outcome(tessituraOrders, tessituraReturns), salesvu: outcome(salesvuOrders, salesvuReturns) };
}

jest.setTimeout(90_000);

describe('a cancelled sale downstream', () => {
  let t: TestGateway;
  let keys: SaleKeys;

  beforeAll(async () => {
    t = await startTestGateway({ simulators: true });
    keys = await saleKeys(t, 'tevo');
  });
  afterEach(() => {
    t.tessitura!.faults.reset();
    t.tessitura!.behaviour.reset();
    t.salesvu!.faults.reset();
  });
  afterAll(() => t.close());

  const cancel = (globalId: string, key = keys.staff) =>
    t.http.post(`/v1/invoices/${globalId}/cancellation`).set('X-Api-Key', key).send({ reason: 'the buyer asked' });
  const settledAfterCancel = (globalId: string) => eventually(() => saleStory(t, keys, globalId), settled, PATIENT_MS);

  describe('when the sale was delivered', () => {
    it('then each system gets a return: the Tessitura tickets returned by number, a SalesVu return order, both acknowledged', async () => {
      const { globalId } = await invoicedSale(t, keys);
      const sold = await settledStory(t, keys, globalId);
      const ticketNumbers = (sold.deliveries[0].acknowledgment as { seats: { ticket_number: number }[] }).seats.map((seat) => seat.ticket_number);

      const answer = await cancel(globalId).expect(201);
      expect(answer.body.deliveries).toEqual([
        { target: 'tessitura', kind: 'sale', status: 'delivered' },
        { target: 'salesvu', kind: 'sale', status: 'delivered' },
        { target: 'tessitura', kind: 'return', status: 'pending' },
        { target: 'salesvu', kind: 'return', status: 'pending' },
      ]);

      const story = await settledAfterCancel(globalId);
      expect(statuses(story)).toEqual(['tessitura sale delivered', 'salesvu sale delivered', 'tessitura return delivered', 'salesvu return delivered']);
      expect(story.deliveries[2].acknowledgment).toMatchObject({ order_id: sold.deliveries[0].acknowledgment!.order_id, returned_ticket_numbers: ticketNumbers });
      expect(story.deliveries[3].acknowledgment).toMatchObject({ original_order_id: sold.deliveries[1].acknowledgment!.order_id });
      expect(downstreamOutcome(t, globalId)).toEqual({ tessitura: 'recorded and returned', salesvu: 'recorded and returned' });
    });
  });

  describe('when nothing was sent yet', () => {
    it('then both deliveries are withdrawn and nothing ever reaches Tessitura or SalesVu', async () => {
      // Tessitura down: an attempt fails before it records anything (its progress stays empty).
      t.tessitura!.faults.goDown();
      const { globalId } = await invoicedSale(t, keys);

      const answer = await cancel(globalId).expect(201);
      const story = await settledAfterCancel(globalId);
      t.tessitura!.faults.comeUp();

      expect(answer.body.deliveries).toEqual([
        { target: 'tessitura', kind: 'sale', status: expect.stringMatching(/^(withdrawn|pending)$/) },
        { target: 'salesvu', kind: 'sale', status: 'withdrawn' },
      ]);
      expect(statuses(story)).toEqual(['tessitura sale withdrawn', 'salesvu sale withdrawn']);
      expect(downstreamOutcome(t, globalId)).toEqual({ tessitura: 'never recorded', salesvu: 'never recorded' });
    });
  });

  describe('when the sale was dead', () => {
    it('then it is withdrawn (with the SalesVu delivery that waited for it), and nothing is returned', async () => {
      const { globalId } = await invoicedSale(t, keys, { tessitura: undefined });
      const dead = await eventually(() => saleStory(t, keys, globalId), (story) => story.deliveries[0].status === 'dead', PATIENT_MS);
      expect(dead.deliveries.map((d) => d.status)).toEqual(['dead', 'pending']);

      await cancel(globalId).expect(201);

      const story = await settledAfterCancel(globalId);
      expect(statuses(story)).toEqual(['tessitura sale withdrawn', 'salesvu sale withdrawn']);
      expect(downstreamOutcome(t, globalId)).toEqual({ tessitura: 'never recorded', salesvu: 'never recorded' });
    });
  });

  describe("when the checkout's answer was lost before the cancellation", () => {
    it('then Tessitura is asked what it recorded: the order is found, acknowledged and returned once', async () => {
      // The checkout is saved but its answer lost; every later read of the session fails until the cancellation is in.
      t.tessitura!.faults.dropNext({ operation: 'checkout' });
      t.tessitura!.faults.failNext({ operation: 'getSession', count: 1_000 });
      const { globalId } = await invoicedSale(t, keys);
      await eventually(() => saleStory(t, keys, globalId), (story) => story.deliveries[0].attempts > 1, PATIENT_MS);

      const answer = await cancel(globalId).expect(201);
      t.tessitura!.faults.reset();

      expect(answer.body.deliveries.map((d: { status: string }) => d.status)).toEqual(['pending', 'withdrawn']);

      const story = await settledAfterCancel(globalId);
      expect(statuses(story)).toEqual(['tessitura sale delivered', 'salesvu sale withdrawn', 'tessitura return delivered']);
      expect(downstreamOutcome(t, globalId)).toEqual({ tessitura: 'recorded and returned', salesvu: 'never recorded' });
    });
  });

  describe("when SalesVu's answer to the order was lost before the cancellation", () => {
    it('then SalesVu is searched for the order by its key note: found, completed and returned once', async () => {
      // The order is created but the answer lost; every later search for it fails until the cancellation is in.
      t.salesvu!.faults.dropNext({ operation: 'create_order' });
      t.salesvu!.faults.failNext({ operation: 'get_store_order', count: 1_000 });
      const { globalId } = await invoicedSale(t, keys);
      await eventually(() => saleStory(t, keys, globalId), (story) => story.deliveries[1].attempts > 1, PATIENT_MS);

      const answer = await cancel(globalId).expect(201);
      t.salesvu!.faults.reset();

      expect(answer.body.deliveries.map((d: { status: string }) => d.status)).toEqual(['delivered', 'pending', 'pending']);

      const story = await settledAfterCancel(globalId);
      expect(statuses(story)).toEqual(['tessitura sale delivered', 'salesvu sale delivered', 'tessitura return delivered', 'salesvu return delivered']);
      expect(downstreamOutcome(t, globalId)).toEqual({ tessitura: 'recorded and returned', salesvu: 'recorded and returned' });
    });
  });

  describe('when cancellations race the dispatcher', () => {
    it('then every sale ends recorded and returned, or never recorded, once, in both systems', async () => {
      const sales = [];
      for (let i = 0; i < 12; i++) sales.push(await invoicedSale(t, keys));
      await Promise.all(
        sales.map(async ({ globalId }, i) => {
          await new Promise((resolve) => setTimeout(resolve, (i % 6) * 40));
          await cancel(globalId).expect(201);
        }),
      );

      for (const { globalId } of sales) {
        await settledAfterCancel(globalId);
        const outcome = downstreamOutcome(t, globalId);
        expect(['recorded and returned', 'never recorded']).toContain(outcome.tessitura);
        expect(['recorded and returned', 'never recorded']).toContain(outcome.salesvu);
        if (outcome.salesvu === 'recorded and returned') expect(outcome.tessitura).toBe('recorded and returned');
      }
    }, 120_000);
  });

  describe('when Tessitura is down as the sale is cancelled', () => {
    it('then the return waits, and is recorded once Tessitura is back', async () => {
      const { globalId } = await invoicedSale(t, keys);
      await settledStory(t, keys, globalId);
      t.tessitura!.faults.goDown();

      await cancel(globalId).expect(201);
      const waiting = await saleStory(t, keys, globalId);
      expect(statuses(waiting)).toContain('tessitura return pending');
      t.tessitura!.faults.comeUp();

      const story = await settledAfterCancel(globalId);
      expect(statuses(story)).toEqual(['tessitura sale delivered', 'salesvu sale delivered', 'tessitura return delivered', 'salesvu return delivered']);
      expect(downstreamOutcome(t, globalId)).toEqual({ tessitura: 'recorded and returned', salesvu: 'recorded and returned' });
    });
  });
});
