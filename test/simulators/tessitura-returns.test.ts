import { useTessituraSimulator } from './support/simulator-fixtures';
import { completeSale, openBusinessSession, openCart, type TessituraClient } from './support/tessitura-client';

const CONSTITUENT = 4242;

/** A business-facing session of the order's constituent with the order loaded into its cart. Returns the session key. */
async function loadOrder(api: TessituraClient, orderId: number): Promise<string> {
  const key = await openBusinessSession(api);
  await api.put(`/Web/Session/${key}/Constituents`, { ConstituentId: CONSTITUENT, OverridePrompt: true }).expect(200);
  await api.post(`/Web/Session/${key}/LoadOrder/${orderId}`, {}).expect(200);
  return key;
}

/** The whole return the gateway makes: load, return each ticket, apply the credit on account, check out. */
async function returnTickets(api: TessituraClient, orderId: number, tickets: number[], reference = 'tg-h1-return'): Promise<string> {
  const key = await loadOrder(api, orderId);
  const properties = await api.get(`/Web/Cart/${key}/Properties`).expect(200);
  await api.put(`/Web/Cart/${key}/Properties`, { ...properties.body, Notes: `${properties.body.Notes} gateway-key=${reference}` }).expect(200);
  for (const ticket of tickets) await api.post(`/Web/Cart/${key}/Tickets/Return`, { TicketNumber: ticket, ReturnOrDonate: 'R' }).expect(204);
  const cart = await api.get(`/Web/Cart/${key}`).expect(200);
  await api.post(`/Web/Cart/${key}/Payments/OnAccount`, { Amount: cart.body.BalanceToCharge, PaymentMethodId: 9, Notes: 'refund' }).expect(200);
  await api.post(`/Web/Cart/${key}/Checkout`, { Amount: 0, Authorize: false, AllowUnderPayment: false, PaymentReference: reference }).expect(200);
  return key;
}

describe('Tessitura simulator: returning the tickets of a saved order', () => {
  const sim = useTessituraSimulator();

  const errorWith = (code: string, errorPath?: string) => [expect.objectContaining({ Code: code, ...(errorPath && { ErrorPath: errorPath }) })];
  /** A sale of two seats at 50.00 (performance 30, zone 1), checked out: its order id and ticket numbers. */
  const sale = async () => {
    await completeSale(sim.api, { reference: 'tg-h1', performanceId: 30, zoneId: 1, seats: 2 });
    const [order] = sim.tess.state.orders();
    return { orderId: order.orderId, tickets: order.lineItems[0].ticketNumbers };
  };
  const seatsTaken = () => sim.tess.state.availability(30).zones[0]?.taken;
  const subLineItemsOf = async (orderId: number) =>
    (await sim.api.get(`/TXN/Orders/${orderId}/ProductsView`).expect(200)).body.Products[0].Performance.LineItem.SubLineItems as {
      TicketNumber: number;
      StatusId: number;
      DueAmount: number;
    }[];

  it("when an order is loaded, then the cart is that order: its seats, what was paid, the order's mode of sale, source and notes", async () => {
    const { orderId, tickets } = await sale();
    const key = await openBusinessSession(sim.api);
    await sim.api.put(`/Web/Session/${key}/Constituents`, { ConstituentId: CONSTITUENT }).expect(200);

    const loaded = await sim.api.post(`/Web/Session/${key}/LoadOrder/${orderId}`, {}).expect(200);

    expect(loaded.body).toMatchObject({ Id: orderId, CartAmount: 100, AmountPaidPreviously: 100, AmountPaidNow: 0, BalanceToCharge: 0, OrderNotes: 'gateway-key=tg-h1' });
    expect(loaded.body.Products[0].Performance.LineItem.SubLineItems).toHaveLength(tickets.length);
    expect((await sim.api.get(`/Web/Cart/${key}/Properties`).expect(200)).body).toEqual({ ModeOfSaleId: 3, SourceId: 12, Notes: 'gateway-key=tg-h1' });
    expect((await sim.api.get(`/Web/Session/${key}`).expect(200)).body).toMatchObject({ OrderId: 0, HasLockedSeats: false });
  });

  it('when a ticket is returned, then the cart holds its price as a credit until it is applied on account, and checkout waits for that', async () => {
    const { orderId, tickets } = await sale();
    const key = await loadOrder(sim.api, orderId);

    await sim.api.post(`/Web/Cart/${key}/Tickets/Return`, { TicketNumber: tickets[0], ReturnOrDonate: 'R' }).expect(204);
    const cart = await sim.api.get(`/Web/Cart/${key}`).expect(200);
    const refused = await sim.api.post(`/Web/Cart/${key}/Checkout`, { Amount: 0, PaymentReference: 'r' }).expect(400);
    const tooMuch = await sim.api.post(`/Web/Cart/${key}/Payments/OnAccount`, { Amount: -50.01, PaymentMethodId: 9 }).expect(400);
    const negativeOther = await sim.api.post(`/Web/Cart/${key}/Payments/Other`, { Amount: -50, PaymentMethodId: 9 }).expect(400);
    await sim.api.post(`/Web/Cart/${key}/Payments/OnAccount`, { Amount: -50, PaymentMethodId: 9 }).expect(200);

    expect(cart.body).toMatchObject({ CartAmount: 50, AmountPaidPreviously: 100, BalanceToCharge: -50 });
    expect(cart.body.Products[0].Performance.LineItem.SubLineItems.map((sub: { StatusId: number }) => sub.StatusId)).toEqual([4, 2]);
    expect(refused.body).toEqual(errorWith('TESSITURA_CREDIT_NOT_APPLIED'));
    expect(tooMuch.body).toEqual(errorWith('TESSITURA_PAYMENT_EXCEEDS_CREDIT', 'request.Amount'));
    expect(negativeOther.body).toEqual(errorWith('TESSITURA_VALIDATION_ERROR', 'request.Amount'));
    expect((await sim.api.get(`/Web/Cart/${key}`).expect(200)).body).toMatchObject({ AmountPaidNow: -50, BalanceToCharge: 0 });
    expect(await subLineItemsOf(orderId)).toEqual([expect.objectContaining({ StatusId: 2 }), expect.objectContaining({ StatusId: 2 })]);
  });

  it('when the return is checked out, then the same order shows its tickets returned, the credit, the notes, and the seats are on sale again', async () => {
    const { orderId, tickets } = await sale();
    expect(seatsTaken()).toBe(2);

    const key = await returnTickets(sim.api, orderId, tickets);

    const view = await sim.api.get(`/TXN/Orders/${orderId}/ProductsView`).expect(200);
    const items = await sim.api.get('/TXN/SubLineItems').query({ constituentId: String(CONSTITUENT), orderId: String(orderId) }).expect(200);
    expect(view.body).toMatchObject({
      Id: orderId,
      TotalPurchaseAmount: 100,
      TotalReturnAmount: 100,
      TotalDueAmount: 0,
      TotalPaidAmount: 0,
      OrderNotes: 'gateway-key=tg-h1 gateway-key=tg-h1-return',
    });
    expect(view.body.Payments.map((payment: { Amount: number; PaymentMethod: { Id: number } }) => [payment.Amount, payment.PaymentMethod.Id])).toEqual([
      [100, 7],
      [-100, 9],
    ]);
    expect((await subLineItemsOf(orderId)).map((sub) => [sub.TicketNumber, sub.StatusId, sub.DueAmount])).toEqual(tickets.map((ticket) => [ticket, 4, 0]));
    expect(items.body.map((item: { SubLineItemStatus: { Description: string } }) => item.SubLineItemStatus.Description)).toEqual(['Returned', 'Returned']);
    expect((await sim.api.get(`/Web/Session/${key}`).expect(200)).body).toMatchObject({ OrderId: orderId, CheckoutStatus: { Status: 'SaveComplete' } });
    expect(seatsTaken()).toBe(0);
    expect(sim.tess.state.orders()).toHaveLength(1);
    expect(sim.tess.state.returnCountsByKey()).toEqual({ 'tg-h1-return': 1 });
  });

  it('when a ticket is unknown, of another order, returned already, donated or not named, then returning it is refused', async () => {
    const { orderId, tickets } = await sale();
    await completeSale(sim.api, { reference: 'tg-h2', performanceId: 30, zoneId: 1, seats: 1 });
    const otherTicket = sim.tess.state.orders()[1].lineItems[0].ticketNumbers[0];
    const unloaded = await openBusinessSession(sim.api);
    const key = await loadOrder(sim.api, orderId);
    await sim.api.post(`/Web/Cart/${key}/Tickets/Return`, { TicketNumber: tickets[0], ReturnOrDonate: 'R' }).expect(204);
    const returnOf = (session: string, body: object) => sim.api.post(`/Web/Cart/${session}/Tickets/Return`, body).expect(400);

    expect((await returnOf(unloaded, { TicketNumber: tickets[1], ReturnOrDonate: 'R' })).body).toEqual(errorWith('TESSITURA_ORDER_NOT_LOADED'));
    expect((await returnOf(key, { TicketNumber: 1, ReturnOrDonate: 'R' })).body).toEqual(errorWith('TESSITURA_TICKET_NOT_FOUND', 'request.TicketNumber'));
    expect((await returnOf(key, { TicketNumber: otherTicket, ReturnOrDonate: 'R' })).body).toEqual(errorWith('TESSITURA_TICKET_NOT_FOUND'));
    expect((await returnOf(key, { TicketNumber: tickets[0], ReturnOrDonate: 'R' })).body).toEqual(errorWith('TESSITURA_TICKET_ALREADY_RETURNED'));
    expect((await returnOf(key, { TicketNumber: tickets[1], ReturnOrDonate: 'D' })).body).toEqual(errorWith('TESSITURA_NOT_SIMULATED', 'request.ReturnOrDonate'));
    expect((await returnOf(key, { TicketNumber: tickets[1], ReturnOrDonate: 'X' })).body).toEqual(errorWith('TESSITURA_VALIDATION_ERROR', 'request.ReturnOrDonate'));
    expect((await returnOf(key, { ReturnOrDonate: 'R' })).body).toEqual(errorWith('TESSITURA_VALIDATION_ERROR', 'request.TicketNumber'));
  });

  it('when a returned order is loaded again, then its returned tickets cannot be returned twice', async () => {
    const { orderId, tickets } = await sale();
    await returnTickets(sim.api, orderId, [tickets[0]]);

    const key = await loadOrder(sim.api, orderId);
    const again = await sim.api.post(`/Web/Cart/${key}/Tickets/Return`, { TicketNumber: tickets[0], ReturnOrDonate: 'R' }).expect(400);

    expect(again.body).toEqual(errorWith('TESSITURA_TICKET_ALREADY_RETURNED'));
    expect((await sim.api.get(`/Web/Cart/${key}`).expect(200)).body).toMatchObject({ CartAmount: 50, AmountPaidPreviously: 50, BalanceToCharge: 0 });
  });

  it("when the cart is not empty, the order unknown or another constituent's, then it is not loaded", async () => {
    const { orderId } = await sale();
    const withSeats = await openCart(sim.api, { seats: 1 });
    const stranger = await openBusinessSession(sim.api);
    await sim.api.put(`/Web/Session/${stranger}/Constituents`, { ConstituentId: 1 }).expect(200);
    const anonymous = await openBusinessSession(sim.api);
    const load = (key: string, id: number | string) => sim.api.post(`/Web/Session/${key}/LoadOrder/${id}`, {}).expect(400);

    expect((await load(withSeats, orderId)).body).toEqual(errorWith('TESSITURA_CART_NOT_EMPTY'));
    expect((await load(stranger, 99)).body).toEqual(errorWith('TESSITURA_ORDER_NOT_FOUND', 'orderId'));
    expect((await load(stranger, 'abc')).body).toEqual(errorWith('TESSITURA_VALIDATION_ERROR', 'orderId'));
    expect((await load(stranger, orderId)).body).toEqual(errorWith('TESSITURA_ORDER_NOT_OWNED', 'orderId'));
    expect((await load(anonymous, orderId)).body).toEqual(errorWith('TESSITURA_ORDER_NOT_OWNED'));
    await sim.api.post('/Web/Session/UNKNOWN/LoadOrder/1', {}).expect(404);
  });

  it('when another session has the order loaded, then it is locked until that session clears its cart', async () => {
    const { orderId } = await sale();
    const holder = await loadOrder(sim.api, orderId);
    const second = await openBusinessSession(sim.api);
    await sim.api.put(`/Web/Session/${second}/Constituents`, { ConstituentId: CONSTITUENT }).expect(200);

    const locked = await sim.api.post(`/Web/Session/${second}/LoadOrder/${orderId}`, {}).expect(400);
    await sim.api.delete(`/Web/Cart/${holder}`).expect(204);

    expect(locked.body).toEqual(errorWith('TESSITURA_ORDER_LOCKED', 'orderId'));
    await sim.api.post(`/Web/Session/${second}/LoadOrder/${orderId}`, {}).expect(200);
    expect((await sim.api.get(`/Web/Cart/${holder}`).expect(200)).body).toMatchObject({ Id: 0, Products: [], CartAmount: 0, AmountPaidPreviously: 0 });
  });

  it('when the loaded cart is cleared, then its returns and payments are forgotten and the order is unchanged', async () => {
    const { orderId, tickets } = await sale();
    const key = await loadOrder(sim.api, orderId);
    await sim.api.post(`/Web/Cart/${key}/Tickets/Return`, { TicketNumber: tickets[0], ReturnOrDonate: 'R' }).expect(204);
    await sim.api.post(`/Web/Cart/${key}/Payments/OnAccount`, { Amount: -50, PaymentMethodId: 9 }).expect(200);

    await sim.api.delete(`/Web/Cart/${key}`).expect(204);

    expect((await sim.api.get(`/Web/Cart/${key}`).expect(200)).body).toMatchObject({ Products: [], Payments: [], BalanceToCharge: 0 });
    expect(await subLineItemsOf(orderId)).toEqual(tickets.map((ticket) => expect.objectContaining({ TicketNumber: ticket, StatusId: 2 })));
    expect([seatsTaken(), sim.tess.state.returnCountsByKey()]).toEqual([2, {}]);
  });

  it('when told to answer SaveInProgress, then the order shows the return (and its seats are freed) only after that many reads of the session', async () => {
    const { orderId, tickets } = await sale();
    sim.tess.behaviour.endCheckouts({ status: 'SaveInProgress', reads: 2 });

    const key = await returnTickets(sim.api, orderId, tickets);

    const saving = await sim.api.get(`/TXN/Orders/${orderId}/ProductsView`).expect(200);
    const first = await sim.api.get(`/Web/Session/${key}`).expect(200);
    expect([saving.body.TotalReturnAmount, first.body.CheckoutStatus.Status, seatsTaken()]).toEqual([0, 'SaveInProgress', 2]);
    const second = await sim.api.get(`/Web/Session/${key}`).expect(200);
    const saved = await sim.api.get(`/TXN/Orders/${orderId}/ProductsView`).expect(200);

    expect(second.body).toMatchObject({ OrderId: orderId, CheckoutStatus: { Status: 'SaveComplete' } });
    expect([saved.body.TotalReturnAmount, seatsTaken()]).toEqual([100, 0]);
  });

  it('when told to answer Error, then nothing is returned, and the cleared cart unlocks the order', async () => {
    const { orderId, tickets } = await sale();
    sim.tess.behaviour.endCheckouts({ status: 'Error', message: 'Batch is closed' });

    const key = await returnTickets(sim.api, orderId, tickets);
    await sim.api.delete(`/Web/Cart/${key}`).expect(204);

    expect((await sim.api.get(`/Web/Session/${key}`).expect(200)).body).toMatchObject({ OrderId: 0 });
    expect((await sim.api.get(`/TXN/Orders/${orderId}/ProductsView`).expect(200)).body).toMatchObject({ TotalReturnAmount: 0, OrderNotes: 'gateway-key=tg-h1' });
    expect([seatsTaken(), sim.tess.state.returnCountsByKey()]).toEqual([2, {}]);
    await loadOrder(sim.api, orderId);
  });

  it('when tickets are added to a loaded order, or an on account payment is made in a web customer session, then it is refused', async () => {
    const { orderId } = await sale();
    const key = await loadOrder(sim.api, orderId);
    const web = (await sim.api.post('/Web/Session', { IpAddress: '127.0.0.1' }).expect(200)).body.SessionKey;

    const exchange = await sim.api.post(`/Web/Cart/${key}/Tickets`, { PerformanceId: 30, ZoneId: 1, NumberOfSeats: 1, PriceType: '1' }).expect(400);
    const publicCart = await sim.api.post(`/Web/Cart/${web}/Payments/OnAccount`, { Amount: -1, PaymentMethodId: 9 }).expect(400);
    const zero = await sim.api.post(`/Web/Cart/${key}/Payments/OnAccount`, { Amount: 0, PaymentMethodId: 9 }).expect(400);

    expect(exchange.body).toEqual(errorWith('TESSITURA_NOT_SIMULATED'));
    expect(publicCart.body).toEqual(errorWith('TESSITURA_NOT_BUSINESS_FACING'));
    expect(zero.body).toEqual(errorWith('TESSITURA_VALIDATION_ERROR', 'request.Amount'));
  });
});
