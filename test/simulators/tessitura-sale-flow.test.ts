import { useTessituraSimulator } from './support/simulator-fixtures';
import { completeSale, openCart } from './support/tessitura-client';

describe('Tessitura simulator: recording a sale through a web session', () => {
  const sim = useTessituraSimulator();

  it('when started on port 0, then its url is loopback with the base path and no trailing slash', () => {
    expect(sim.tess.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/TessituraService$/);
  });

  it('when the whole sale is made, then the session shows the OrderId and the order is recorded', async () => {
    const key = await completeSale(sim.api, { reference: 'key-1' });

    const session = await sim.api.get(`/Web/Session/${key}`).expect(200);

    expect(session.body.OrderId).toBe(sim.tess.state.orders()[0].orderId);
    expect(session.body.OrderId).toBeGreaterThan(0);
    expect(session.body.CheckoutStatus).toEqual({ Status: 'SaveComplete', Date: expect.any(String) });
    expect(session.body.HasLockedSeats).toBe(false);
    expect(sim.tess.state.orders()).toEqual([
      expect.objectContaining({ sessionKey: key, paymentReference: 'key-1', constituentId: 4242, totalAmount: 100, paidAmount: 100 }),
    ]);
  });

  it('when a cart is open, then the session has OrderId 0, no CheckoutStatus, and locked seats', async () => {
    const key = await openCart(sim.api);

    const session = await sim.api.get(`/Web/Session/${key}`).expect(200);

    expect(session.body).toMatchObject({ OrderId: 0, HasLockedSeats: true, SeatsExpired: false, LoginInfo: { ConstituentId: 4242 } });
    expect(session.body).not.toHaveProperty('CheckoutStatus');
  });

  it('when the cart is read back, then it shows line items, sub line items, amounts and payments', async () => {
    const key = await openCart(sim.api, { performanceId: 12, zoneId: 3, seats: 2 });
    await sim.api.post(`/Web/Cart/${key}/Payments/Other`, { Amount: 30, PaymentMethodId: 7, Notes: 'part' }).expect(200);

    const cart = await sim.api.get(`/Web/Cart/${key}`).expect(200);

    expect(cart.body).toMatchObject({ SessionKey: key, Id: 0, CartAmount: 100, AmountPaidNow: 30, BalanceToCharge: 70 });
    expect(cart.body.Payments).toEqual([expect.objectContaining({ Id: 1, Amount: 30, PaymentMethod: expect.objectContaining({ Id: 7 }), Notes: 'part' })]);
    const lineItem = cart.body.Products[0].Performance.LineItem;
    expect(lineItem).toMatchObject({ Id: 1, Performance: { Id: 12 }, TotalDue: 100, DueAmount: 100 });
    expect(lineItem.SubLineItems).toEqual([
      expect.objectContaining({ Zone: expect.objectContaining({ Id: 3 }), PriceType: expect.objectContaining({ Id: 1 }), DueAmount: 50, PaidAmount: 30 }),
      expect.objectContaining({ DueAmount: 50, PaidAmount: 0 }),
    ]);
  });

  it('when PriceType lists one id per seat, then each seat gets its price type', async () => {
    const key = await openCart(sim.api, { seats: 1 });

    const reserved = await sim.api.post(`/Web/Cart/${key}/Tickets`, { PerformanceId: 1, ZoneId: 1, NumberOfSeats: 2, PriceType: '2, 3' }).expect(200);

    expect(reserved.body).toEqual({ LineItemId: 2, SeatsReserved: 2 });
    const cart = await sim.api.get(`/Web/Cart/${key}`).expect(200);
    const priceTypes = cart.body.Products[1].Performance.LineItem.SubLineItems.map((sub: { PriceType: { Id: number } }) => sub.PriceType.Id);
    expect(priceTypes).toEqual([2, 3]);
  });

  it('when the status is asked for, then it reports success with a timestamp', async () => {
    const status = await sim.api.get('/Diagnostics/Status').expect(200);

    expect(status.body).toMatchObject({ Success: true, TimeStamp: expect.any(String) });
  });

  it('when an unknown route is called, then it answers 404 with the error array', async () => {
    const answer = await sim.api.get('/Web/Nothing').expect(404);

    expect(answer.body).toEqual([expect.objectContaining({ Code: 'TESSITURA_NOT_FOUND' })]);
  });
});
