import pino from 'pino';
import request from 'supertest';
import { startTessituraSimulator, TESSITURA_DEMO_CREDENTIALS, type TessituraSimulator, type TessituraSimulatorOptions } from '../../simulators';
import { TargetBreaker } from '../../src/downstream/circuit-breaker';
import { DownstreamError } from '../../src/downstream/downstream-error';
import { TessituraClient } from '../../src/downstream/tessitura/tessitura-client';
import { tessituraOrderNotes } from '../../src/downstream/tessitura/tessitura-order';
import {
  recordTessituraReturn,
  tessituraReturnNotes,
  type TessituraReturn,
  type TessituraReturnProgress,
} from '../../src/downstream/tessitura/tessitura-return';
import { recordTessituraSale, type TessituraSale } from '../../src/downstream/tessitura/tessitura-sale';
import { basicAuthHeader } from '../simulators/support/tessitura-client';
import { contractProblems, TESSITURA_SPEC_PATH, TessituraContract, tessituraSpecAvailable } from '../simulators/support/tessitura-contract';
import { eventually } from '../support/eventually';

if (!tessituraSpecAvailable()) console.warn(`Tessitura contract checks skipped: ${TESSITURA_SPEC_PATH} is absent`);

const CONSTITUENT = 81234;
const RETURN_KEY = 'tg-h1-return';

/** The calls of a first return attempt when everything goes well, after the order's view. */
const RETURN_CALLS = [
  'getOrderProductsView',
  'createBusinessFacingSession',
  'setConstituent',
  'loadOrder',
  'getCartProperties',
  'updateCartProperties',
  'returnTicket',
  'returnTicket',
  'getCart',
  'applyOnAccountPayment',
  'checkout',
];

const SALE: TessituraSale = {
  idempotencyKey: 'tg-h1',
  performanceId: 4412,
  zoneId: 3,
  priceType: 1,
  quantity: 2,
  constituentId: CONSTITUENT,
  paymentMethodId: 27,
  modeOfSaleId: 14,
  sourceId: 5120,
  paymentNotes: 'tevo order ORD-1',
  orderNotes: tessituraOrderNotes({ idempotencyKey: 'tg-h1', partnerId: 'tevo', marketplaceOrderId: 'ORD-1', globalId: 'h1' }),
};

/** A simulator, a client behind its own breaker, and a delivery's progress kept in memory, for each test. */
function useRig(options: TessituraSimulatorOptions = {}) {
  const contract = tessituraSpecAvailable() ? new TessituraContract() : undefined;
  const rig = {} as { tess: TessituraSimulator; client: TessituraClient; breaker: TargetBreaker; progress: TessituraReturnProgress; saved: TessituraReturnProgress[] };
  beforeEach(async () => {
    rig.tess = await startTessituraSimulator({ port: 0, ...options });
    rig.breaker = new TargetBreaker('tessitura', pino({ level: 'silent' }));
    rig.client = new TessituraClient({ url: rig.tess.url, ...TESSITURA_DEMO_CREDENTIALS }, rig.breaker, 5_000);
    rig.progress = {};
    rig.saved = [];
  });
  afterEach(async () => {
    // Every request the flows sent, and every answer they got: as Tessitura's published document says.
    if (contract) expect(contractProblems(contract, rig.tess.state.requests().filter((call) => call.fault === null))).toEqual([]);
    rig.breaker.shutdown();
    await rig.tess.close();
  });
  return rig;
}

describe('returning a sale in Tessitura (recordTessituraReturn against the simulator)', () => {
  const rig = useRig();

  /** The sale recorded as the outbox records it; answers its return, built from its acknowledgment. */
  async function recordedSale(): Promise<TessituraReturn> {
    const ack = await recordTessituraSale(rig.client, SALE, { progress: {}, saveProgress: async () => {}, signal: new AbortController().signal });
    return {
      idempotencyKey: RETURN_KEY,
      orderId: ack.order_id,
      ticketNumbers: ack.seats.map((seat) => seat.ticket_number as number),
      modeOfSaleId: SALE.modeOfSaleId,
      sourceId: SALE.sourceId,
      paymentMethodId: 31,
      paymentNotes: 'refund of tevo order ORD-1',
      notes: tessituraReturnNotes({ idempotencyKey: RETURN_KEY, partnerId: 'tevo', marketplaceOrderId: 'ORD-1', globalId: 'h1' }),
    };
  }

  /** One attempt, with the progress the previous ones saved (as the outbox hands it over). */
  const attempt = (ret: TessituraReturn) =>
    recordTessituraReturn(rig.client, ret, {
      progress: rig.progress,
      saveProgress: async (progress) => {
        rig.progress = progress;
        rig.saved.push(progress);
      },
      signal: new AbortController().signal,
    });
  const callsSince = (mark: number) => rig.tess.state.requests().slice(mark).map((call) => call.operation);
  const bodiesOf = (operation: string) => rig.tess.state.requests().filter((call) => call.operation === operation).map((call) => call.requestBody);
  const theOrder = (orderId: number) => rig.tess.state.orders().find((order) => order.orderId === orderId)!;
  const seatsTaken = () => rig.tess.state.availability(SALE.performanceId).zones.find((zone) => zone.zoneId === SALE.zoneId)?.taken;
  const returns = () => rig.tess.state.returnCountsByKey()[RETURN_KEY] ?? 0;

  it('when all goes well, then the order is loaded by its constituent, each ticket returned, the credit applied on account and the return checked out, in that order', async () => {
    const ret = await recordedSale();
    const mark = rig.tess.state.requests().length;

    const ack = await attempt(ret);

    expect(callsSince(mark)).toEqual([...RETURN_CALLS, 'getOrderProductsView']);
    expect(ack).toEqual({
      order_id: ret.orderId,
      session_key: expect.stringMatching(/^[0-9A-F]{32}$/),
      checkout_status: 'SaveComplete',
      returned_ticket_numbers: ret.ticketNumbers,
      total_return_amount: 100,
    });
    expect(rig.saved).toEqual([
      { session_key: ack.session_key },
      { session_key: ack.session_key, checkout_attempted_at: expect.any(String) },
      { session_key: ack.session_key, checkout_attempted_at: expect.any(String), returned_at: expect.any(String) },
    ]);
    expect(bodiesOf('setConstituent').at(-1)).toEqual({ ConstituentId: CONSTITUENT, OverridePrompt: true });
    expect(bodiesOf('returnTicket')).toEqual(ret.ticketNumbers.map((ticket) => ({ TicketNumber: ticket, ReturnOrDonate: 'R' })));
    expect(bodiesOf('applyOnAccountPayment')).toEqual([{ Amount: -100, PaymentMethodId: 31, Notes: 'refund of tevo order ORD-1' }]);
    expect(bodiesOf('checkout').at(-1)).toMatchObject({ Amount: 0, PaymentReference: RETURN_KEY });
    const order = theOrder(ret.orderId);
    expect(order).toMatchObject({ returnedTicketNumbers: ret.ticketNumbers, returnAmount: 100, paidAmount: 0 });
    expect(order.notes).toBe(`${SALE.orderNotes} gateway-key=${RETURN_KEY} return of tevo order ORD-1 (hold h1)`);
    expect(rig.tess.state.orders()).toHaveLength(1);
    expect([returns(), seatsTaken()]).toEqual([1, 0]);
  });

  it("when the return's checkout answer is lost, then the next attempt reads the session, finds it saved and returns nothing again", async () => {
    const ret = await recordedSale();
    rig.tess.faults.dropNext({ operation: 'checkout' });

    const lost = await attempt(ret).catch((err: unknown) => err);
    const mark = rig.tess.state.requests().length;
    const ack = await attempt(ret);

    expect(lost).toBeInstanceOf(DownstreamError);
    expect((lost as DownstreamError).permanent).toBe(false);
    expect(callsSince(mark)).toEqual(['getSession', 'getOrderProductsView']);
    expect(ack).toMatchObject({ order_id: ret.orderId, checkout_status: 'SaveComplete', total_return_amount: 100 });
    expect([returns(), seatsTaken()]).toEqual([1, 0]);
  });

  it('when an answer before the checkout is lost, then the next attempt clears that session and returns the tickets in it once', async () => {
    const ret = await recordedSale();
    rig.tess.faults.dropNext({ operation: 'returnTicket' });

    await expect(attempt(ret)).rejects.toBeInstanceOf(DownstreamError);
    const sessionKey = rig.progress.session_key;
    const mark = rig.tess.state.requests().length;
    const ack = await attempt(ret);

    expect(callsSince(mark)).toEqual(['getSession', 'clearCart', ...RETURN_CALLS.filter((call) => call !== 'createBusinessFacingSession'), 'getOrderProductsView']);
    expect(ack.session_key).toBe(sessionKey);
    expect([returns(), theOrder(ret.orderId).returnedTicketNumbers]).toEqual([1, ret.ticketNumbers]);
  });

  it('when the checkout answers SaveInProgress, then the session is read until the return is saved', async () => {
    const ret = await recordedSale();
    rig.tess.behaviour.endCheckouts({ status: 'SaveInProgress', reads: 2 });
    const mark = rig.tess.state.requests().length;

    const ack = await attempt(ret);

    expect(callsSince(mark)).toEqual([...RETURN_CALLS, 'getSession', 'getSession', 'getOrderProductsView']);
    expect(ack).toMatchObject({ checkout_status: 'SaveComplete', total_return_amount: 100 });
    expect(returns()).toBe(1);
  });

  it("when the checkout answers Error, then the cart is cleared, nothing is returned, the error is permanent with Tessitura's message, and a later attempt returns in a new session", async () => {
    const ret = await recordedSale();
    rig.tess.behaviour.endCheckouts({ status: 'Error', message: 'Batch 12 is closed' });
    const mark = rig.tess.state.requests().length;

    const refused = await attempt(ret).catch((err: unknown) => err);

    expect(refused).toBeInstanceOf(DownstreamError);
    expect(refused).toMatchObject({ message: "Tessitura refused the return's checkout: Batch 12 is closed", permanent: true });
    expect(callsSince(mark)).toEqual([...RETURN_CALLS, 'clearCart']);
    expect(rig.progress).toEqual({});
    expect(theOrder(ret.orderId)).toMatchObject({ returnedTicketNumbers: [], returnAmount: 0, notes: SALE.orderNotes });
    expect(seatsTaken()).toBe(2);

    const ack = await attempt(ret);

    expect(ack.checkout_status).toBe('SaveComplete');
    expect(rig.tess.state.requests().filter((call) => call.operation === 'createBusinessFacingSession')).toHaveLength(3);
    expect([returns(), seatsTaken()]).toEqual([1, 0]);
  });

  it('when the order was returned already (its progress lost), then it is recognised by its notes and nothing is done', async () => {
    const ret = await recordedSale();
    await attempt(ret);
    rig.progress = {};
    const mark = rig.tess.state.requests().length;

    const again = await attempt(ret);

    expect(callsSince(mark)).toEqual(['getOrderProductsView']);
    expect(again).toEqual({ order_id: ret.orderId, session_key: null, checkout_status: 'SaveComplete', returned_ticket_numbers: ret.ticketNumbers, total_return_amount: 100 });
    expect(returns()).toBe(1);
  });

  it('when the box office returned every ticket already, then the return is acknowledged AlreadyReturned without a session', async () => {
    const ret = await recordedSale();
    await returnAtTheBoxOffice(rig.tess, ret);
    const mark = rig.tess.state.requests().length;

    const ack = await attempt(ret);

    expect(callsSince(mark)).toEqual(['getOrderProductsView']);
    expect(ack).toMatchObject({ session_key: null, checkout_status: 'AlreadyReturned', total_return_amount: 100 });
    expect(rig.tess.state.returnCountsByKey()).toEqual({ 'box-office': 1 });
  });

  it('when the box office returned one of the tickets, then returning it is refused by Tessitura: permanent, with its reason', async () => {
    const ret = await recordedSale();
    await returnAtTheBoxOffice(rig.tess, { ...ret, ticketNumbers: ret.ticketNumbers.slice(0, 1) });

    const refused = await attempt(ret).catch((err: unknown) => err);

    expect(refused).toMatchObject({ permanent: true, message: expect.stringContaining('TESSITURA_TICKET_ALREADY_RETURNED') });
    expect(returns()).toBe(0);
  });

  it('when the order is unknown or a ticket is not in it, then nothing is done and the error is permanent', async () => {
    const ret = await recordedSale();
    const mark = rig.tess.state.requests().length;

    const unknown = await attempt({ ...ret, orderId: 424242 }).catch((err: unknown) => err);
    const foreign = await attempt({ ...ret, ticketNumbers: [...ret.ticketNumbers, 1] }).catch((err: unknown) => err);

    expect(unknown).toMatchObject({ permanent: true, message: expect.stringContaining('Tessitura has no order 424242') });
    expect(foreign).toMatchObject({ permanent: true, message: `Cannot return Tessitura order ${ret.orderId}: ticket 1 is not in it.` });
    expect(callsSince(mark)).toEqual(['getOrderProductsView', 'getOrderProductsView']);
  });
});

describe('returning a sale in Tessitura when the session expired after the checkout attempt', () => {
  // Long enough for an attempt's calls even on a loaded machine; the test waits for the expiry.
  const rig = useRig({ sessionTtlMs: 1_000, cleanupIntervalMs: 100 });

  const saleToReturn = async (): Promise<TessituraReturn> => {
    const sale = await recordTessituraSale(rig.client, SALE, { progress: {}, saveProgress: async () => {}, signal: new AbortController().signal });
    return {
      idempotencyKey: RETURN_KEY,
      orderId: sale.order_id,
      ticketNumbers: sale.seats.map((seat) => seat.ticket_number as number),
      modeOfSaleId: SALE.modeOfSaleId,
      sourceId: SALE.sourceId,
      paymentMethodId: 31,
      paymentNotes: 'refund',
      notes: tessituraReturnNotes({ idempotencyKey: RETURN_KEY, partnerId: 'tevo', marketplaceOrderId: 'ORD-1', globalId: 'h1' }),
    };
  };
  const attempt = (ret: TessituraReturn) =>
    recordTessituraReturn(rig.client, ret, {
      progress: rig.progress,
      saveProgress: async (progress) => {
        rig.progress = progress;
      },
      signal: new AbortController().signal,
    });
  /** The first attempt fails at its checkout; then its session expires. Answers the calls of the next attempt. */
  const expireAfterCheckout = async (ret: TessituraReturn) => {
    await expect(attempt(ret)).rejects.toBeInstanceOf(DownstreamError);
    expect(rig.progress).toEqual({ session_key: expect.any(String), checkout_attempted_at: expect.any(String) });
    await eventually(async () => rig.tess.state.sessions().length, (live) => live === 0, 10_000);
    return rig.tess.state.requests().length;
  };

  it("then the order's notes say whether the return was saved: saved, it is acknowledged without a new session", async () => {
    const ret = await saleToReturn();
    rig.tess.faults.dropNext({ operation: 'checkout' });
    const mark = await expireAfterCheckout(ret);

    const ack = await attempt(ret);

    expect(rig.tess.state.requests().slice(mark).map((call) => call.operation)).toEqual(['getSession', 'getOrderProductsView']);
    expect(ack).toMatchObject({ checkout_status: 'SaveComplete', session_key: null, total_return_amount: 100 });
    expect(rig.tess.state.returnCountsByKey()).toEqual({ [RETURN_KEY]: 1 });
  });

  it('then, the checkout having never been processed, the tickets are returned in a new session, once', async () => {
    const ret = await saleToReturn();
    rig.tess.faults.failNext({ operation: 'checkout', status: 503 });
    const mark = await expireAfterCheckout(ret);

    const ack = await attempt(ret);

    expect(rig.tess.state.requests().slice(mark).map((call) => call.operation)).toEqual(['getSession', ...RETURN_CALLS, 'getOrderProductsView']);
    expect(ack).toMatchObject({ checkout_status: 'SaveComplete', total_return_amount: 100 });
    expect(rig.tess.state.returnCountsByKey()).toEqual({ [RETURN_KEY]: 1 });
  });
});

/** Someone at the venue returns the tickets in a session of their own (PaymentReference `box-office`). */
async function returnAtTheBoxOffice(tess: TessituraSimulator, ret: TessituraReturn): Promise<void> {
  const auth = basicAuthHeader(TESSITURA_DEMO_CREDENTIALS);
  const post = (path: string, body: object) => request(tess.url).post(path).set('Authorization', auth).send(body).expect((res) => res.status < 300);
  const key = (await post('/Web/Session/BusinessFacing', { SessionInfo: { ModeOfSaleId: 1 } })).body.SessionKey;
  await request(tess.url).put(`/Web/Session/${key}/Constituents`).set('Authorization', auth).send({ ConstituentId: CONSTITUENT }).expect(200);
  await post(`/Web/Session/${key}/LoadOrder/${ret.orderId}`, {});
  for (const ticket of ret.ticketNumbers) await post(`/Web/Cart/${key}/Tickets/Return`, { TicketNumber: ticket, ReturnOrDonate: 'R' });
  const balance = (await request(tess.url).get(`/Web/Cart/${key}`).set('Authorization', auth).expect(200)).body.BalanceToCharge;
  await post(`/Web/Cart/${key}/Payments/OnAccount`, { Amount: balance, PaymentMethodId: 2 });
  await post(`/Web/Cart/${key}/Checkout`, { Amount: 0, PaymentReference: 'box-office' });
}
