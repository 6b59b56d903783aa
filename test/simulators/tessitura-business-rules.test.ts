import request from 'supertest';
import { useTessituraSimulator } from './support/simulator-fixtures';
import { completeSale, openBusinessSession, openCart } from './support/tessitura-client';

describe('Tessitura simulator: business rules and validation', () => {
  const sim = useTessituraSimulator();

  const errorWith = (code: string, errorPath?: string) => [expect.objectContaining({ Code: code, ...(errorPath && { ErrorPath: errorPath }) })];

  it('when a session is checked out a second time, then the second checkout is refused with 400 and no second order', async () => {
    const key = await completeSale(sim.api, { reference: 'once' });

    const second = await sim.api.post(`/Web/Cart/${key}/Checkout`, { Amount: 0, PaymentReference: 'once' }).expect(400);

    expect(second.body).toEqual(errorWith('TESSITURA_ALREADY_CHECKED_OUT'));
    expect(sim.tess.state.orders()).toHaveLength(1);
  });

  it('when a payment exceeds the balance still due, then it is refused with 400', async () => {
    const key = await openCart(sim.api, { seats: 2 });
    await sim.api.post(`/Web/Cart/${key}/Payments/Other`, { Amount: 60, PaymentMethodId: 7 }).expect(200);

    const over = await sim.api.post(`/Web/Cart/${key}/Payments/Other`, { Amount: 40.01, PaymentMethodId: 7 }).expect(400);

    expect(over.body).toEqual(errorWith('TESSITURA_PAYMENT_EXCEEDS_BALANCE', 'request.Amount'));
    await sim.api.post(`/Web/Cart/${key}/Payments/Other`, { Amount: 40, PaymentMethodId: 7 }).expect(200);
  });

  it('when payments do not cover the amount due, then checkout is refused unless AllowUnderPayment', async () => {
    const key = await openCart(sim.api, { seats: 2 });
    await sim.api.post(`/Web/Cart/${key}/Payments/Other`, { Amount: 60, PaymentMethodId: 7 }).expect(200);

    const refused = await sim.api.post(`/Web/Cart/${key}/Checkout`, { Amount: 0, PaymentReference: 'r' }).expect(400);
    expect(refused.body).toEqual(errorWith('TESSITURA_UNDERPAYMENT'));

    await sim.api.post(`/Web/Cart/${key}/Checkout`, { Amount: 0, AllowUnderPayment: true, PaymentReference: 'r' }).expect(200);
    expect(sim.tess.state.orders()[0]).toMatchObject({ totalAmount: 100, paidAmount: 60 });
  });

  it('when checkout charges the balance itself, then that amount is recorded as a payment', async () => {
    const key = await openCart(sim.api, { seats: 1 });

    await sim.api.post(`/Web/Cart/${key}/Checkout`, { Amount: 50, Authorize: false, PaymentReference: 'r' }).expect(200);

    expect(sim.tess.state.orders()[0]).toMatchObject({ paidAmount: 50, payments: [expect.objectContaining({ amount: 50, paymentMethodId: 0 })] });
  });

  it('when checkout comes without a constituent or without line items, then it is refused with 400', async () => {
    const bare = await openBusinessSession(sim.api);
    const noConstituent = await sim.api.post(`/Web/Cart/${bare}/Checkout`, { Amount: 0 }).expect(400);
    expect(noConstituent.body).toEqual(errorWith('TESSITURA_CONSTITUENT_REQUIRED'));

    await sim.api.put(`/Web/Session/${bare}/Constituents`, { ConstituentId: 1 }).expect(200);
    const empty = await sim.api.post(`/Web/Cart/${bare}/Checkout`, { Amount: 0 }).expect(400);
    expect(empty.body).toEqual(errorWith('TESSITURA_CART_EMPTY'));
  });

  it('when a performance has fewer seats left than requested, then the reservation fails with 400 and nothing is taken', async () => {
    sim.tess.catalogue.definePerformance({ id: 77, zones: [{ id: 5, capacity: 3 }], priceTypes: [{ id: 1, price: 20 }] });
    const key = await openCart(sim.api, { performanceId: 77, zoneId: 5, seats: 2 });

    const refused = await sim.api.post(`/Web/Cart/${key}/Tickets`, { PerformanceId: 77, ZoneId: 5, NumberOfSeats: 2, PriceType: '1' }).expect(400);

    expect(refused.body).toEqual(errorWith('TESSITURA_SEATS_NOT_AVAILABLE', 'request.NumberOfSeats'));
    expect(sim.tess.state.availability(77).zones).toEqual([{ zoneId: 5, capacity: 3, taken: 2, available: 1 }]);
  });

  it('when the performance, zone or price type is unknown, then the reservation fails with 400', async () => {
    sim.tess.catalogue.definePerformance({ id: 78, zones: [{ id: 1, capacity: 10 }], priceTypes: [{ id: 1, price: 20 }] });
    sim.tess.catalogue.removePerformance(79);
    const key = (await sim.api.post('/Web/Session', {}).expect(200)).body.SessionKey;
    const reserve = (body: object) => sim.api.post(`/Web/Cart/${key}/Tickets`, { NumberOfSeats: 1, PriceType: '1', ZoneId: 1, PerformanceId: 78, ...body });

    expect((await reserve({ PerformanceId: 79 }).expect(400)).body).toEqual(errorWith('TESSITURA_PERFORMANCE_NOT_FOUND'));
    expect((await reserve({ PerformanceId: 1_000_000 }).expect(400)).body).toEqual(errorWith('TESSITURA_PERFORMANCE_NOT_FOUND'));
    expect((await reserve({ ZoneId: 2 }).expect(400)).body).toEqual(errorWith('TESSITURA_ZONE_NOT_FOUND'));
    expect((await reserve({ PriceType: '9' }).expect(400)).body).toEqual(errorWith('TESSITURA_PRICE_TYPE_NOT_FOUND'));
    await reserve({}).expect(200);
  });

  it('when the catalogue is changed through the admin API, then reservations follow it', async () => {
    await request(sim.admin).put('/__admin/performances/90').send({ zones: [{ id: 1, capacity: 1 }], priceTypes: [{ id: 1, price: 10 }] }).expect(200);
    const key = await openCart(sim.api, { performanceId: 90, seats: 1 });
    const availability = await request(sim.admin).get('/__admin/performances/90').expect(200);
    expect(availability.body.zones).toEqual([{ zoneId: 1, capacity: 1, taken: 1, available: 0 }]);

    await request(sim.admin).delete('/__admin/performances/91').expect(204);

    await sim.api.post(`/Web/Cart/${key}/Tickets`, { PerformanceId: 91, ZoneId: 1, NumberOfSeats: 1, PriceType: '1' }).expect(400);
    await request(sim.admin).put('/__admin/performances/92').send({ zones: 'all' }).expect(400);
  });

  it('when the constituent does not exist, then setting it is refused with 400', async () => {
    const key = await openBusinessSession(sim.api);

    const refused = await sim.api.put(`/Web/Session/${key}/Constituents`, { ConstituentId: 0 }).expect(400);

    expect(refused.body).toEqual(errorWith('TESSITURA_CONSTITUENT_NOT_FOUND', 'request.ConstituentId'));
  });

  it('when a body has wrong types or lacks required fields, then 400 names each bad field', async () => {
    const key = (await sim.api.post('/Web/Session', {}).expect(200)).body.SessionKey;

    const invalid = await sim.api.post(`/Web/Cart/${key}/Tickets`, { PerformanceId: '5', NumberOfSeats: 1.5, PriceType: 1 }).expect(400);

    expect(invalid.body.map((error: { ErrorPath: string }) => error.ErrorPath).sort()).toEqual(
      ['request.NumberOfSeats', 'request.PerformanceId', 'request.PriceType', 'request.ZoneId'].sort(),
    );
    await sim.api.post('/Web/Session', { BusinessUnitId: 'one' }).expect(400);
    await sim.api.post(`/Web/Cart/${key}/Payments/Other`, { Amount: 10 }).expect(400);
  });

  it('when the body is not JSON, then 400 with the error array', async () => {
    const broken = await sim.api.post('/Web/Session', {}).set('Content-Type', 'application/json').send('{"BusinessUnitId":').expect(400);

    expect(broken.body).toEqual(errorWith('TESSITURA_VALIDATION_ERROR'));
  });

  it('when the session key is unknown, then 404 with the error array', async () => {
    const missing = await sim.api.get('/Web/Session/NOSUCHKEY').expect(404);

    expect(missing.body).toEqual(errorWith('TESSITURA_SESSION_NOT_FOUND'));
  });
});
