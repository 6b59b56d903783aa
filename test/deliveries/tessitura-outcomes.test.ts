import { contractProblems, TessituraContract, tessituraSpecAvailable, TESSITURA_SPEC_PATH } from '../simulators/support/tessitura-contract';
import { eventually } from '../support/eventually';
import { ledgerViolations } from '../support/ledger-invariants';
import { idempotencyKeyOf, invoicedSale, saleKeys, type SaleKeys, saleStory, settledStory } from '../support/sales';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

jest.setTimeout(60_000);

/** The calls of one sale's first attempt when everything goes well: the fewest the spec allows. */
const SALE_CALLS = [
  'createBusinessFacingSession',
  'getCartProperties',
  'updateCartProperties',
  'setConstituent',
  'reserveTickets',
  'getCart',
  'applyOtherPayment',
  'checkout',
];

if (!tessituraSpecAvailable()) console.warn(`Tessitura contract checks skipped: ${TESSITURA_SPEC_PATH} is absent`);

describe('recording a sale in Tessitura: every checkout outcome', () => {
  let t: TestGateway;
  let keys: SaleKeys;
  const contract = tessituraSpecAvailable() ? new TessituraContract() : undefined;

  beforeAll(async () => {
    // A lease long enough for a checkout that stays SaveInProgress through a whole attempt.
    t = await startTestGateway({ simulators: true, deliveries: { leaseMs: 60_000 } });
    keys = await saleKeys(t);
  });
  beforeEach(() => t.tessitura!.state.reset());
  afterEach(async () => {
    t.tessitura!.faults.reset();
    expect(await ledgerViolations(t.db.knex)).toEqual([]);
    // Every request the client sent, and every answer it got, in this outcome: as Tessitura's document says.
    if (contract) expect(contractProblems(contract, t.tessitura!.state.requests().filter((call) => call.fault === null))).toEqual([]);
  });
  afterAll(() => t.close());

  const tessituraCalls = () => t.tessitura!.state.requests().map((call) => call.operation);
  const tessituraOrders = (globalId: string) => t.tessitura!.state.orderCountsByKey()[idempotencyKeyOf(globalId)] ?? 0;
  const deadStory = (globalId: string) => eventually(() => saleStory(t, keys, globalId), (s) => s.deliveries[0].status === 'dead', 15_000);
  const seatsTaken = () => t.tessitura!.state.availability(4412).zones.find((zone) => zone.zoneId === 3)?.taken ?? 0;
  const retry = (deliveryId: number) => t.http.post(`/v1/deliveries/${deliveryId}/retry`).set('X-Api-Key', keys.staff).expect(200);

  describe('when the checkout answers SaveComplete', () => {
    it('then the order is made in a business-facing session with the mode of sale, source and notes, and the partner reads its seats', async () => {
      const { globalId } = await invoicedSale(t, keys);

      const story = await settledStory(t, keys, globalId);

      expect(story.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
      expect(tessituraCalls()).toEqual([...SALE_CALLS, 'getSession', 'getOrderProductsView']);
      const [order] = t.tessitura!.state.orders();
      expect(order).toMatchObject({ constituentId: 1, modeOfSaleId: 1, sourceId: 1, paymentReference: idempotencyKeyOf(globalId) });
      expect(order.notes).toBe(`gateway-key=${idempotencyKeyOf(globalId)} tevo order ORD-${globalId} (hold ${globalId})`);
      const seats = order.lineItems[0].seatNumbers.map((seat, i) => ({
        section: 'Zone 3',
        row: '1',
        seat: String(seat),
        ticket_number: order.lineItems[0].ticketNumbers[i],
      }));
      const partnerView = await t.http.get(`/v1/holds/${globalId}`).set('X-Api-Key', keys.partner).expect(200);
      expect(partnerView.body.seats).toEqual(seats);
      expect(story.deliveries[0].acknowledgment).toMatchObject({ order_id: order.orderId, checkout_status: 'SaveComplete', seats });
    });

    it('then a hold not yet recorded in Tessitura has no seats', async () => {
      t.tessitura!.faults.goDown();
      const { globalId } = await invoicedSale(t, keys);

      const detail = await t.http.get(`/v1/holds/${globalId}`).set('X-Api-Key', keys.partner).expect(200);

      expect(detail.body).not.toHaveProperty('seats');
      t.tessitura!.faults.comeUp();
      await settledStory(t, keys, globalId, 30_000);
    });
  });

  describe('when the checkout answers SaveInProgress', () => {
    it('then the session is read until the save completes, within the same attempt', async () => {
      t.tessitura!.behaviour.endCheckouts({ status: 'SaveInProgress', reads: 2 });
      const { globalId } = await invoicedSale(t, keys);

      const story = await settledStory(t, keys, globalId);

      expect(story.deliveries[0]).toMatchObject({ status: 'delivered', history: [expect.objectContaining({ kind: 'delivered', attempt: 1 })] });
      expect(tessituraCalls()).toEqual([...SALE_CALLS, 'getSession', 'getSession', 'getOrderProductsView']);
      expect(tessituraOrders(globalId)).toBe(1);
    });

    it('then a save still running after the bounded reads is read again by the next attempt, never checked out twice', async () => {
      t.tessitura!.behaviour.endCheckouts({ status: 'SaveInProgress', reads: 6 });
      const { globalId } = await invoicedSale(t, keys);

      const story = await settledStory(t, keys, globalId, 40_000);

      expect(story.deliveries[0].history.map((e) => e.kind)).toEqual(['attempt_failed', 'delivered']);
      expect(story.deliveries[0].history[0].detail).toContain('still SaveInProgress');
      expect(tessituraCalls()).toEqual([...SALE_CALLS, ...Array(5).fill('getSession'), 'getSession', 'getOrderProductsView']);
      expect(tessituraOrders(globalId)).toBe(1);
    });
  });

  describe('when the checkout answers Error', () => {
    it("then nothing is saved, the cart is cleared, the delivery is dead with Tessitura's message, and a staff retry sells in a new session", async () => {
      t.tessitura!.behaviour.endCheckouts({ status: 'Error', message: 'Mode of sale 1 is closed for this performance' });
      const { globalId } = await invoicedSale(t, keys);

      const dead = await deadStory(globalId);

      expect(dead.deliveries[0]).toMatchObject({ attempts: 1, last_error: 'Tessitura refused the checkout: Mode of sale 1 is closed for this performance' });
      expect(dead.deliveries[1]).toMatchObject({ status: 'pending', next_attempt_at: null });
      expect(tessituraCalls()).toEqual([...SALE_CALLS, 'clearCart']);
      expect([tessituraOrders(globalId), seatsTaken()]).toEqual([0, 0]);

      await retry(dead.deliveries[0].id);
      const story = await settledStory(t, keys, globalId);

      expect(story.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
      expect(tessituraCalls().filter((call) => call === 'createBusinessFacingSession')).toHaveLength(2);
      expect([tessituraOrders(globalId), seatsTaken()]).toEqual([1, 2]);
    });
  });

  describe('when Tessitura reserves fewer seats than were sold', () => {
    it('then nothing is paid or checked out, the cart is cleared, the delivery is dead saying so, and a staff retry delivers', async () => {
      t.tessitura!.behaviour.shortenReservations({ by: 1 });
      const { globalId } = await invoicedSale(t, keys);

      const dead = await deadStory(globalId);

      expect(dead.deliveries[0].last_error).toBe(
        'Tessitura reserved only 1 of the 2 seats asked for (performance 4412, zone 3), so nothing was paid and the cart was ' +
          "cleared. Free up seats in that zone or correct the listing's tessitura mapping, then retry this delivery.",
      );
      expect(tessituraCalls()).toEqual(['createBusinessFacingSession', 'getCartProperties', 'updateCartProperties', 'setConstituent', 'reserveTickets', 'clearCart']);
      expect([tessituraOrders(globalId), seatsTaken()]).toEqual([0, 0]);

      await retry(dead.deliveries[0].id);
      const story = await settledStory(t, keys, globalId);

      expect(story.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
      expect(t.tessitura!.state.orders()[0].lineItems.flatMap((item) => item.ticketNumbers)).toHaveLength(2);
    });
  });

  describe('when the session is gone after a checkout attempt', () => {
    it("then the order is found by its notes among the constituent's orders and acknowledged, once", async () => {
      t.tessitura!.faults.dropNext({ operation: 'checkout' });
      t.tessitura!.faults.failNext({ status: 404, operation: 'getSession' });
      const { globalId } = await invoicedSale(t, keys);

      const story = await settledStory(t, keys, globalId);

      expect(story.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
      expect(tessituraCalls()).toEqual([...SALE_CALLS, 'getSession', 'getSubLineItems', 'getOrderProductsView']);
      expect(tessituraOrders(globalId)).toBe(1);
      expect(story.deliveries[0].acknowledgment).toMatchObject({ order_id: t.tessitura!.state.orders()[0].orderId });
    });

    it('then, with no such order, the delivery is dead naming the routes to check, and a staff retry delivers once', async () => {
      t.tessitura!.faults.failNext({ status: 500, operation: 'checkout' });
      t.tessitura!.faults.failNext({ status: 404, operation: 'getSession' });
      const { globalId } = await invoicedSale(t, keys);

      const dead = await deadStory(globalId);

      expect(dead.deliveries[0].last_error).toMatch(
        /^The session expired after a checkout attempt at .+, and no order of constituent 1 placed since then has "tg-.+" in its notes \(GET TXN\/SubLineItems\?constituentId=1&orderStartDate=.+, then GET TXN\/Orders\/\{orderId\}\/ProductsView for each order\)/,
      );

      await retry(dead.deliveries[0].id);
      const story = await settledStory(t, keys, globalId);

      expect(story.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
      expect(tessituraOrders(globalId)).toBe(1);
    });
  });
});
