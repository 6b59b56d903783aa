import request from 'supertest';
import { TESSITURA_DEMO_CREDENTIALS, type TessituraCredentials } from '../../../simulators';

export function basicAuthHeader({ username, userGroup, location, password }: TessituraCredentials): string {
  return `Basic ${Buffer.from(`${username}:${userGroup}:${location}:${password}`).toString('base64')}`;
}

/** supertest calls to a Tessitura simulator, authenticated with the demo credentials. */
export function tessituraClient(baseUrl: string) {
  const auth = basicAuthHeader(TESSITURA_DEMO_CREDENTIALS);
  return {
    get: (path: string) => request(baseUrl).get(path).set('Authorization', auth),
    post: (path: string, body: object) => request(baseUrl).post(path).set('Authorization', auth).send(body),
    put: (path: string, body: object) => request(baseUrl).put(path).set('Authorization', auth).send(body),
    delete: (path: string) => request(baseUrl).delete(path).set('Authorization', auth),
  };
}

export type TessituraClient = ReturnType<typeof tessituraClient>;

export interface SaleOptions {
  reference?: string;
  performanceId?: number;
  zoneId?: number;
  seats?: number;
}

/** A business-facing session selling under mode of sale 3 and source 12. Returns the session key. */
export async function openBusinessSession(api: TessituraClient): Promise<string> {
  const session = await api
    .post('/Web/Session/BusinessFacing', { IpAddress: '127.0.0.1', Organization: 'Ticket Gateway', SessionInfo: { ModeOfSaleId: 3, PromotionCode: 12 } })
    .expect(200);
  return session.body.SessionKey;
}

/** Business-facing session, constituent and tickets: a cart ready to pay. Returns the session key. */
export async function openCart(api: TessituraClient, { performanceId = 1, zoneId = 1, seats = 2 }: SaleOptions = {}): Promise<string> {
  const key = await openBusinessSession(api);
  await api.put(`/Web/Session/${key}/Constituents`, { ConstituentId: 4242, OverridePrompt: true }).expect(200);
  await api.post(`/Web/Cart/${key}/Tickets`, { PerformanceId: performanceId, ZoneId: zoneId, NumberOfSeats: seats, PriceType: '1' }).expect(200);
  return key;
}

/** The whole sale the gateway makes: cart, its notes, payment of the balance, checkout. Returns the session key. */
export async function completeSale(api: TessituraClient, options: SaleOptions = {}): Promise<string> {
  const reference = options.reference ?? 'ref-1';
  const key = await openCart(api, options);
  const properties = await api.get(`/Web/Cart/${key}/Properties`).expect(200);
  await api.put(`/Web/Cart/${key}/Properties`, { ...properties.body, Notes: `gateway-key=${reference}` }).expect(200);
  const cart = await api.get(`/Web/Cart/${key}`).expect(200);
  await api.post(`/Web/Cart/${key}/Payments/Other`, { Amount: cart.body.BalanceToCharge, PaymentMethodId: 7, Notes: 'marketplace' }).expect(200);
  await api.post(`/Web/Cart/${key}/Checkout`, { Amount: 0, Authorize: false, AllowUnderPayment: false, PaymentReference: reference }).expect(200);
  return key;
}
