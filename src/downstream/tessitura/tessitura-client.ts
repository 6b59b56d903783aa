import type { TessituraSettings } from '../../platform/config';
import type { TargetBreaker } from '../circuit-breaker';
import { DownstreamError } from '../downstream-error';
import { httpCall } from '../http-call';

/** The parts of Tessitura's `Session` and `Cart` definitions the sale flow reads. */
export type TessituraSession = { OrderId?: number; CheckoutStatus?: { Status?: string } };
export type TessituraCart = {
  Constituent?: { Id?: number };
  BalanceToCharge?: number;
  Products?: { Performance?: { Id?: number; LineItem?: { SubLineItems?: unknown[] } } }[];
};
type TessituraErrorItem = { Code?: string; Description?: string; ErrorPath?: string | null };

/** Tessitura answers errors as an array of `{ Code, Description, Details, ErrorPath }`. */
function describeErrors(body: unknown): string {
  if (!Array.isArray(body)) return typeof body === 'string' && body ? body.slice(0, 200) : 'no error details';
  return (body as TessituraErrorItem[])
    .map((e) => [e.Code, e.Description].filter(Boolean).join(': ') + (e.ErrorPath ? ` (${e.ErrorPath})` : ''))
    .join('; ');
}

/**
 * Tessitura's REST API (Tessitura.Service.Web v15): HTTP Basic with `username:usergroup:location` as the
 * user, PascalCase JSON. A 400 is a business refusal that retrying cannot fix; every call goes through
 * the Tessitura breaker with its own time limit.
 */
export class TessituraClient {
  private readonly authorization: string;

  constructor(
    private readonly settings: TessituraSettings,
    private readonly breaker: TargetBreaker,
    private readonly timeoutMs: number,
  ) {
    const user = `${settings.username}:${settings.userGroup}:${settings.location}`;
    this.authorization = `Basic ${Buffer.from(`${user}:${settings.password}`, 'utf8').toString('base64')}`;
  }

  async createSession(signal?: AbortSignal): Promise<string> {
    const answer = await this.call<{ SessionKey: string }>('createSession', 'POST', 'Web/Session', signal, { IpAddress: '127.0.0.1', Organization: 'ticket-gateway' });
    return answer.SessionKey;
  }

  getSession(sessionKey: string, signal?: AbortSignal): Promise<TessituraSession> {
    return this.call('getSession', 'GET', `Web/Session/${encodeURIComponent(sessionKey)}`, signal);
  }

  getCart(sessionKey: string, signal?: AbortSignal): Promise<TessituraCart> {
    return this.call('getCart', 'GET', `Web/Cart/${encodeURIComponent(sessionKey)}`, signal);
  }

  async setConstituent(sessionKey: string, constituentId: number, signal?: AbortSignal): Promise<void> {
    await this.call('setConstituent', 'PUT', `Web/Session/${encodeURIComponent(sessionKey)}/Constituents`, signal, {
      ConstituentId: constituentId,
      OverridePrompt: true,
    });
  }

  async reserveTickets(
    sessionKey: string,
    seats: { performanceId: number; zoneId: number; priceType: number; quantity: number },
    signal?: AbortSignal,
  ): Promise<void> {
    await this.call('reserveTickets', 'POST', `Web/Cart/${encodeURIComponent(sessionKey)}/Tickets`, signal, {
      PerformanceId: seats.performanceId,
      ZoneId: seats.zoneId,
      PriceType: String(seats.priceType),
      NumberOfSeats: seats.quantity,
      Unseated: false,
    });
  }

  async applyOtherPayment(
    sessionKey: string,
    payment: { amount: number; paymentMethodId: number; notes: string },
    signal?: AbortSignal,
  ): Promise<void> {
    await this.call('applyOtherPayment', 'POST', `Web/Cart/${encodeURIComponent(sessionKey)}/Payments/Other`, signal, {
      Amount: payment.amount,
      PaymentMethodId: payment.paymentMethodId,
      Notes: payment.notes,
    });
  }

  checkout(sessionKey: string, paymentReference: string, signal?: AbortSignal): Promise<{ Status?: string; Message?: string }> {
    return this.call('checkout', 'POST', `Web/Cart/${encodeURIComponent(sessionKey)}/Checkout`, signal, {
      Amount: 0,
      Authorize: false,
      AllowUnderPayment: false,
      PaymentReference: paymentReference,
    });
  }

  /** `step` names the call in errors; paths are left out of them, as they carry the session key. */
  private call<T>(step: string, method: 'GET' | 'POST' | 'PUT', path: string, signal?: AbortSignal, body?: unknown): Promise<T> {
    return this.breaker.run(async () => {
      const answer = await httpCall({
        target: 'tessitura',
        method,
        url: `${this.settings.url}/${path}`,
        headers: { Authorization: this.authorization, Accept: 'application/json', 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: this.timeoutMs,
        signal,
      });
      if (answer.status >= 200 && answer.status < 300) return answer.body as T;
      throw new DownstreamError('tessitura', `${step}: HTTP ${answer.status}: ${describeErrors(answer.body)}`, {
        status: answer.status,
        permanent: answer.status === 400,
      });
    });
  }
}
