import request from 'supertest';
import { startTessituraSimulator, type TessituraSimulator } from '../../simulators';
import { TESSITURA_SPEC_PATH, TessituraContract, tessituraSpecAvailable } from './support/tessitura-contract';
import { completeSale, openCart, tessituraClient } from './support/tessitura-client';

const specAvailable = tessituraSpecAvailable();
if (!specAvailable) {
  console.warn(`Skipping the Tessitura contract tests: the Swagger subset is not at ${TESSITURA_SPEC_PATH}`);
}
const describeContract = specAvailable ? describe : describe.skip;

describeContract('Tessitura simulator: contract with the published Swagger 2.0 subset', () => {
  let tess: TessituraSimulator;
  let contract: TessituraContract;

  beforeAll(async () => {
    contract = new TessituraContract();
    tess = await startTessituraSimulator({ port: 0 });
  });
  afterAll(() => tess.close());

  it('when a full flow with refusals runs, then every request and response body conforms', async () => {
    const api = tessituraClient(tess.url);
    const key = await completeSale(api, { reference: 'contract-1' });
    await api.get(`/Web/Session/${key}`).expect(200);
    await api.get(`/Web/Cart/${key}`).expect(200);
    await api.get('/Diagnostics/Status').expect(200);
    const open = await openCart(api, { seats: 1 });
    await api.get(`/Web/Session/${open}`).expect(200);
    await api.get(`/Web/Cart/${open}`).expect(200);
    await api.post(`/Web/Cart/${open}/Payments/Other`, { Amount: 500, PaymentMethodId: 7 }).expect(400);
    await api.post(`/Web/Cart/${key}/Checkout`, { Amount: 0, PaymentReference: 'contract-1' }).expect(400);
    await api.get('/Web/Session/UNKNOWN').expect(404);
    await request(tess.url).get('/Diagnostics/Status').expect(401);
    tess.faults.failNext({ status: 503 });
    await api.get('/Diagnostics/Status').expect(503);

    const calls = tess.state.requests();
    const problems = calls.flatMap((call) => [
      ...contract.requestProblems(call).map((problem) => `${call.method} ${call.path} request: ${problem}`),
      ...contract.responseProblems(call).map((problem) => `${call.method} ${call.path} response ${call.status}: ${problem}`),
    ]);

    expect(problems).toEqual([]);
    expect(new Set(calls.map((call) => contract.operationIdOf(call)))).toEqual(
      new Set([
        'Session_CreateSession',
        'Session_SetConstituent',
        'Session_Get',
        'Cart_ReserveTickets',
        'Cart_Get',
        'Cart_ApplyOtherPayment',
        'Cart_Checkout',
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
  });
});
