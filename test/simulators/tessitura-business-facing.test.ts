import request from 'supertest';
import { useTessituraSimulator } from './support/simulator-fixtures';
import { completeSale, openBusinessSession, openCart } from './support/tessitura-client';

describe("Tessitura simulator: as strict as the spec's prose, and told to misbehave", () => {
  const sim = useTessituraSimulator();

  const errorWith = (code: string, errorPath?: string) => [expect.objectContaining({ Code: code, ...(errorPath && { ErrorPath: errorPath }) })];

  it("when a web customer's session is given a constituent, then it is refused: that is for a business facing session", async () => {
    const key = (await sim.api.post('/Web/Session', { IpAddress: '127.0.0.1' }).expect(200)).body.SessionKey;

    const refused = await sim.api.put(`/Web/Session/${key}/Constituents`, { ConstituentId: 4242 }).expect(400);

    expect(refused.body).toEqual(errorWith('TESSITURA_NOT_BUSINESS_FACING'));
    expect((await sim.api.get(`/Web/Session/${key}`).expect(200)).body.BusinessFacing).toBe(false);
  });

  it('when a business-facing session is asked for without a mode of sale, then it is refused naming the field', async () => {
    const noInfo = await sim.api.post('/Web/Session/BusinessFacing', { IpAddress: '127.0.0.1' }).expect(400);
    const noMode = await sim.api.post('/Web/Session/BusinessFacing', { SessionInfo: { PromotionCode: 12 } }).expect(400);

    expect(noInfo.body).toEqual(errorWith('TESSITURA_VALIDATION_ERROR', 'request.SessionInfo'));
    expect(noMode.body).toEqual(errorWith('TESSITURA_VALIDATION_ERROR', 'request.SessionInfo.ModeOfSaleId'));
  });

  it('when a business-facing session is made, then it sells under its mode of sale and the promotion code as its source', async () => {
    const key = await openBusinessSession(sim.api);

    const session = await sim.api.get(`/Web/Session/${key}`).expect(200);

    expect(session.body).toMatchObject({ BusinessFacing: true, ModeOfSaleId: 3, SourceId: 12 });
    expect((await sim.api.get(`/Web/Cart/${key}/Properties`).expect(200)).body).toEqual({ ModeOfSaleId: 3, SourceId: 12, Notes: '' });
  });

  it('when the cart properties are put without the source, then the source is cleared and checkout is refused', async () => {
    const key = await openCart(sim.api, { seats: 1 });

    await sim.api.put(`/Web/Cart/${key}/Properties`, { ModeOfSaleId: 3, Notes: 'no source' }).expect(200);
    const refused = await sim.api.post(`/Web/Cart/${key}/Checkout`, { Amount: 50, PaymentReference: 'r' }).expect(400);

    expect(refused.body).toEqual(errorWith('TESSITURA_SOURCE_REQUIRED'));
    expect(sim.tess.state.orders()).toEqual([]);
  });

  it('when a cart was checked out, then it is read only with savedCart=true', async () => {
    const key = await completeSale(sim.api);

    const refused = await sim.api.get(`/Web/Cart/${key}`).expect(400);
    const saved = await sim.api.get(`/Web/Cart/${key}`).query({ savedCart: 'true' }).expect(200);

    expect(refused.body).toEqual(errorWith('TESSITURA_SAVED_CART', 'savedCart'));
    expect(saved.body.Id).toBe(sim.tess.state.orders()[0].orderId);
  });

  it('when an order is saved, then ProductsView and SubLineItems show its seats, notes and ticket numbers', async () => {
    await completeSale(sim.api, { reference: 'tg-h1', performanceId: 12, zoneId: 3, seats: 2 });
    const [order] = sim.tess.state.orders();

    const view = await sim.api.get(`/TXN/Orders/${order.orderId}/ProductsView`).expect(200);
    const items = await sim.api.get('/TXN/SubLineItems').query({ constituentId: '4242', orderStartDate: order.createdAt }).expect(200);

    expect(view.body).toMatchObject({ Id: order.orderId, OrderNotes: 'gateway-key=tg-h1', ModeOfSale: { Id: 3 }, Source: { Id: 12 }, Constituent: { Id: 4242 } });
    const subLineItems = view.body.Products[0].Performance.LineItem.SubLineItems;
    expect(subLineItems.map((sub: { Seat: object; TicketNumber: number }) => [sub.Seat, sub.TicketNumber])).toEqual([
      [{ Id: 1, Row: '1', Number: '1', Section: expect.objectContaining({ Id: 3, Description: 'Zone 3' }) }, order.lineItems[0].ticketNumbers[0]],
      [{ Id: 2, Row: '1', Number: '2', Section: expect.objectContaining({ Id: 3, Description: 'Zone 3' }) }, order.lineItems[0].ticketNumbers[1]],
    ]);
    expect(items.body.map((item: { OrderId: number; TicketNumber: number }) => [item.OrderId, item.TicketNumber])).toEqual(
      order.lineItems[0].ticketNumbers.map((ticket) => [order.orderId, ticket]),
    );
  });

  it('when SubLineItems is asked without a constituent, for another constituent or before the order, then it finds nothing of it', async () => {
    await completeSale(sim.api);
    const later = new Date(Date.now() + 60_000).toISOString();

    expect((await sim.api.get('/TXN/SubLineItems').expect(400)).body).toEqual(errorWith('TESSITURA_VALIDATION_ERROR', 'constituentId'));
    expect((await sim.api.get('/TXN/SubLineItems').query({ constituentId: '1' }).expect(200)).body).toEqual([]);
    expect((await sim.api.get('/TXN/SubLineItems').query({ constituentId: '4242', orderStartDate: later }).expect(200)).body).toEqual([]);
    await sim.api.get('/TXN/SubLineItems').query({ constituentId: '4242', orderEndDate: 'soon' }).expect(400);
  });

  it('when told to answer SaveInProgress, then the order appears in the session and TXN/Orders only after that many reads', async () => {
    sim.tess.behaviour.endCheckouts({ status: 'SaveInProgress', reads: 2 });
    const key = await completeSale(sim.api);
    const [order] = sim.tess.state.orders();

    const first = await sim.api.get(`/Web/Session/${key}`).expect(200);
    await sim.api.get(`/TXN/Orders/${order.orderId}/ProductsView`).expect(404);
    const second = await sim.api.get(`/Web/Session/${key}`).expect(200);

    expect(first.body).toMatchObject({ OrderId: 0, CheckoutStatus: { Status: 'SaveInProgress' } });
    expect(second.body).toMatchObject({ OrderId: order.orderId, CheckoutStatus: { Status: 'SaveComplete' } });
    await sim.api.get(`/TXN/Orders/${order.orderId}/ProductsView`).expect(200);
    await sim.api.post(`/Web/Cart/${key}/Checkout`, { Amount: 0, PaymentReference: 'again' }).expect(400);
  });

  it('when told to answer Error, then nothing is saved, the message is given, and the cart can be cleared, releasing its seats', async () => {
    sim.tess.behaviour.endCheckouts({ status: 'Error', message: 'Batch is closed' });
    const key = await openCart(sim.api, { performanceId: 30, zoneId: 1, seats: 2 });

    const answer = await sim.api.post(`/Web/Cart/${key}/Checkout`, { Amount: 100, PaymentReference: 'e' }).expect(200);
    await sim.api.delete(`/Web/Cart/${key}`).expect(204);

    expect(answer.body).toEqual({ Status: 'Error', Message: 'Batch is closed' });
    expect(sim.tess.state.orders()).toEqual([]);
    expect(sim.tess.state.availability(30).zones).toEqual([{ zoneId: 1, capacity: 500, taken: 0, available: 500 }]);
    expect((await sim.api.get(`/Web/Cart/${key}`).expect(200)).body).toMatchObject({ Products: [], Payments: [], BalanceToCharge: 0 });
  });

  it('when a saved order is cleared, then it is refused', async () => {
    const key = await completeSale(sim.api);

    expect((await sim.api.delete(`/Web/Cart/${key}`).expect(400)).body).toEqual(errorWith('TESSITURA_ALREADY_CHECKED_OUT'));
  });

  it('when told to reserve fewer seats, then SeatsReserved says how many were', async () => {
    await request(sim.admin).post('/__admin/short-reservations').send({ by: 2 }).expect(200);
    const key = await openBusinessSession(sim.api);

    const short = await sim.api.post(`/Web/Cart/${key}/Tickets`, { PerformanceId: 1, ZoneId: 1, NumberOfSeats: 3, PriceType: '1' }).expect(200);
    const whole = await sim.api.post(`/Web/Cart/${key}/Tickets`, { PerformanceId: 1, ZoneId: 1, NumberOfSeats: 3, PriceType: '1' }).expect(200);

    expect([short.body.SeatsReserved, whole.body.SeatsReserved]).toEqual([1, 3]);
  });

  it('when the admin API is told an unknown outcome or a bad count, then it answers 400 and changes nothing', async () => {
    await request(sim.admin).post('/__admin/checkout-outcomes').send({ status: 'Lost' }).expect(400);
    await request(sim.admin).post('/__admin/checkout-outcomes').send({ status: 'Error', count: 0 }).expect(400);
    await request(sim.admin).post('/__admin/short-reservations').send({ by: -1 }).expect(400);

    const state = await request(sim.admin).get('/__admin/state').expect(200);
    expect(state.body.behaviour).toEqual({ checkoutOutcomes: [], shortReservations: [] });
  });
});
