import request from 'supertest';
import { startTessituraSimulator, type TessituraSimulator } from '../../simulators';
import { contractProblems, TESSITURA_SPEC_PATH, TessituraContract, tessituraSpecAvailable } from './support/tessitura-contract';
import { completeSale, openBusinessSession, openCart, tessituraClient } from './support/tessitura-client';

const specAvailable = tessituraSpecAvailable();
if (!specAvailable) {
  console.warn(`Skipping the Tessitura contract tests: Tessitura's Swagger document is not at ${TESSITURA_SPEC_PATH}`);
}
const describeContract = specAvailable ? describe : describe.skip;

describeContract("Tessitura simulator: contract with Tessitura's whole published Swagger 2.0 document", () => {
  let tess: TessituraSimulator;
  let contract: TessituraContract;

  beforeAll(async () => {
    contract = new TessituraContract();
    tess = await startTessituraSimulator({ port: 0 });
  });
  afterAll(() => tess.close());

  it('when every operation it serves runs, with refusals, each checkout outcome and a return, then every request and response conforms', async () => {
    const api = tessituraClient(tess.url);
    const key = await completeSale(api, { reference: 'contract-1' });
    await api.get(`/Web/Session/${key}`).expect(200);
    await api.get(`/Web/Cart/${key}`).query({ savedCart: 'true' }).expect(200);
    const orderId = tess.state.orders()[0].orderId;
    await api.get(`/TXN/Orders/${orderId}/ProductsView`).expect(200);
    await api.get('/TXN/SubLineItems').query({ constituentId: '4242', orderId: String(orderId), includeAffiliations: 'false' }).expect(200);
    await api.get('/TXN/SubLineItems').expect(400);
    await api.get('/TXN/Orders/1/ProductsView').expect(404);
    await api.get('/Diagnostics/Status').expect(200);
    const open = await openCart(api, { seats: 1 });
    await api.get(`/Web/Session/${open}`).expect(200);
    await api.get(`/Web/Cart/${open}`).expect(200);
    await api.post(`/Web/Cart/${open}/Payments/Other`, { Amount: 500, PaymentMethodId: 7 }).expect(400);
    await api.post(`/Web/Cart/${key}/Checkout`, { Amount: 0, PaymentReference: 'contract-1' }).expect(400);
    tess.behaviour.endCheckouts({ status: 'Error', message: 'Payment method 7 is not allowed for this mode of sale' });
    await api.post(`/Web/Cart/${open}/Checkout`, { Amount: 50, PaymentReference: 'contract-2' }).expect(200);
    await api.delete(`/Web/Cart/${open}`).expect(204);
    tess.behaviour.shortenReservations();
    await api.post(`/Web/Cart/${open}/Tickets`, { PerformanceId: 1, ZoneId: 1, NumberOfSeats: 2, PriceType: '1' }).expect(200);
    tess.behaviour.endCheckouts({ status: 'SaveInProgress', reads: 1 });
    await api.post(`/Web/Cart/${open}/Checkout`, { Amount: 50, PaymentReference: 'contract-3' }).expect(200);
    await api.get(`/Web/Session/${open}`).expect(200);
    await api.post('/Web/Session', { IpAddress: '127.0.0.1' }).expect(200);
    await api.post('/Web/Session/BusinessFacing', { SessionInfo: {} }).expect(400);
    await api.get('/Web/Session/UNKNOWN').expect(404);
    await request(tess.url).get('/Diagnostics/Status').expect(401);
    tess.faults.failNext({ status: 503 });
    await api.get('/Diagnostics/Status').expect(503);
    // A return of contract-1's first ticket: load, return, the credit on account, checkout; and refusals.
    const [ticket] = tess.state.orders()[0].lineItems[0].ticketNumbers;
    const ret = await openBusinessSession(api);
    await api.post(`/Web/Session/${ret}/LoadOrder/${orderId}`, {}).expect(400);
    await api.put(`/Web/Session/${ret}/Constituents`, { ConstituentId: 4242, OverridePrompt: true }).expect(200);
    await api.post(`/Web/Session/${ret}/LoadOrder/${orderId}`, {}).expect(200);
    await api.post(`/Web/Cart/${ret}/Tickets/Return`, { TicketNumber: ticket, ReturnOrDonate: 'R' }).expect(204);
    await api.post(`/Web/Cart/${ret}/Tickets/Return`, { TicketNumber: ticket, ReturnOrDonate: 'R' }).expect(400);
    await api.get(`/Web/Cart/${ret}`).expect(200);
    await api.post(`/Web/Cart/${ret}/Checkout`, { Amount: 0, PaymentReference: 'contract-1-return' }).expect(400);
    await api.post(`/Web/Cart/${ret}/Payments/OnAccount`, { Amount: -500, PaymentMethodId: 9 }).expect(400);
    await api.post(`/Web/Cart/${ret}/Payments/OnAccount`, { Amount: -50, PaymentMethodId: 9, Notes: 'refund' }).expect(200);
    await api.post(`/Web/Cart/${ret}/Checkout`, { Amount: 0, Authorize: false, AllowUnderPayment: false, PaymentReference: 'contract-1-return' }).expect(200);
    await api.get(`/Web/Session/${ret}`).expect(200);
    await api.get(`/TXN/Orders/${orderId}/ProductsView`).expect(200);
    await api.get('/TXN/SubLineItems').query({ constituentId: '4242', orderId: String(orderId) }).expect(200);

    const calls = tess.state.requests();

    expect(contractProblems(contract, calls)).toEqual([]);
    expect(new Set(calls.map((call) => contract.operationIdOf(call)))).toEqual(
      new Set([
        'Session_CreateSession',
        'Session_CreateBusinessFacingSession',
        'Session_SetConstituent',
        'Session_Get',
        'Cart_GetCartProperties',
        'Cart_UpdateCartProperties',
        'Cart_ReserveTickets',
        'Cart_Get',
        'Cart_ClearCart',
        'Cart_ApplyOtherPayment',
        'Cart_ApplyOnAccountPayment',
        'Session_LoadOrder',
        'Cart_ReturnTicket',
        'Cart_Checkout',
        'Orders_GetProductsView',
        'SubLineItems_GetSubLineItemSummaries',
        'Diagnostics_GetStatus',
      ]),
    );
  });

  it('when a body breaks the definitions, then the contract check reports it (the check is not vacuous)', () => {
    expect(contract.definitionProblems('Session', { OrderId: 1.5 })).not.toEqual([]);
    expect(contract.definitionProblems('Session', { OrderNumber: 1 })).not.toEqual([]);
    expect(contract.definitionProblems('CheckoutStatus', { Status: 'SaveComplete', Date: 'yesterday' })).not.toEqual([]);
    expect(contract.definitionProblems('ReserveTicketsRequest', { PriceType: 1 })).not.toEqual([]);
    expect(contract.definitionProblems('ReserveTicketsRequest', { PriceType: '1', PerformanceId: 2 ** 31 })).not.toEqual([]);
    expect(contract.definitionProblems('Session', { OrderId: 1, CheckoutStatus: { Status: 'SaveComplete' } })).toEqual([]);
    expect(contract.definitionProblems('ReturnTicketWithNumberRequest', { TicketNumber: '7000001', ReturnOrDonate: 'R' })).not.toEqual([]);
    expect(contract.definitionProblems('ReturnTicketWithNumberRequest', { TicketNumber: 7000001, ReturnOrDonate: 'R' })).toEqual([]);
    expect(contract.requestProblems({ method: 'GET', path: '/TessituraService/TXN/SubLineItems', query: { orderNumber: '1' }, requestBody: undefined, status: 200, responseBody: [] })).toEqual([
      'query parameter orderNumber is not declared',
    ]);
  });
});
