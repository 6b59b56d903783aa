import type { TessituraSettings } from '../../platform/config';
import type { TargetBreaker } from '../circuit-breaker';
import { DownstreamError } from '../downstream-error';
import { retryWhileBusy } from '../busy-retry';
import { httpCall } from '../http-call';

/** The parts of Tessitura's definitions the sale and return flows read (Swagger `Session`, `Cart`, `OrderProductView`, ...). */
export type CheckoutStatusName = 'SaveInProgress' | 'SaveComplete' | 'Error';
export type TessituraSession = { OrderId?: number; CheckoutStatus?: { Status?: string } };
export type TessituraCart = {
  Constituent?: { Id?: number };
  BalanceToCharge?: number;
  OrderNotes?: string;
  Source?: { Id?: number };
  Products?: { Performance?: { Id?: number; LineItem?: { SubLineItems?: unknown[] } } }[];
};
export type CartProperties = { ModeOfSaleId?: number; SourceId?: number; Notes?: string } & Record<string, unknown>;
export type CheckoutResponse = { Status?: string; Message?: string };
export type OrderSeat = {
  TicketNumber?: number;
  Seat?: { Row?: string; Number?: string; Section?: { Description?: string; ShortDescription?: string } };
};
export type OrderProductsView = {
  Id?: number;
  OrderNotes?: string;
  TotalPurchaseAmount?: number;
  TotalReturnAmount?: number;
  Constituent?: { Id?: number };
  Products?: { Performance?: { Id?: number; LineItem?: { SubLineItems?: OrderSeat[] } } }[];
};
export type SubLineItemSummary = { OrderId?: number };

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

  /**
   * A back-office session (Session_CreateBusinessFacingSession: "A source number and mode of sale must be
   * supplied"); the source number travels as the promotion code, which Tessitura resolves to its source.
   */
  async createBusinessFacingSession(saleProperties: { modeOfSaleId: number; sourceId: number }, signal?: AbortSignal): Promise<string> {
    const answer = await this.call<{ SessionKey: string }>('createBusinessFacingSession', 'POST', 'Web/Session/BusinessFacing', signal, {
      IpAddress: '127.0.0.1',
      Organization: 'ticket-gateway',
      SessionInfo: { ModeOfSaleId: saleProperties.modeOfSaleId, PromotionCode: saleProperties.sourceId },
    });
    return answer.SessionKey;
  }

  getSession(sessionKey: string, signal?: AbortSignal): Promise<TessituraSession> {
    return this.call('getSession', 'GET', `Web/Session/${encodeURIComponent(sessionKey)}`, signal);
  }

  /** Never called once checkout was (the flows read the session and the order instead), so never with `savedCart`. */
  getCart(sessionKey: string, signal?: AbortSignal): Promise<TessituraCart> {
    return this.call('getCart', 'GET', `Web/Cart/${encodeURIComponent(sessionKey)}`, signal);
  }

  /** Cart_ClearCart: releases the cart's seats and reverses its unsaved payments. */
  async clearCart(sessionKey: string, signal?: AbortSignal): Promise<void> {
    await this.call('clearCart', 'DELETE', `Web/Cart/${encodeURIComponent(sessionKey)}`, signal);
  }

  getCartProperties(sessionKey: string, signal?: AbortSignal): Promise<CartProperties> {
    return this.call('getCartProperties', 'GET', `Web/Cart/${encodeURIComponent(sessionKey)}/Properties`, signal);
  }

  /** The whole properties object goes back, as the operation's summary asks: what is left out is cleared. */
  async updateCartProperties(sessionKey: string, properties: CartProperties, signal?: AbortSignal): Promise<void> {
    await this.call('updateCartProperties', 'PUT', `Web/Cart/${encodeURIComponent(sessionKey)}/Properties`, signal, properties);
  }

  async setConstituent(sessionKey: string, constituentId: number, signal?: AbortSignal): Promise<void> {
    await this.call('setConstituent', 'PUT', `Web/Session/${encodeURIComponent(sessionKey)}/Constituents`, signal, {
      ConstituentId: constituentId,
      OverridePrompt: true,
    });
  }

  reserveTickets(
    sessionKey: string,
    seats: { performanceId: number; zoneId: number; priceType: number; quantity: number },
    signal?: AbortSignal,
  ): Promise<{ LineItemId?: number; SeatsReserved?: number }> {
    return this.call('reserveTickets', 'POST', `Web/Cart/${encodeURIComponent(sessionKey)}/Tickets`, signal, {
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

  /**
   * Session_LoadOrder: the saved order into the session's cart, to change it (a return). "The method raises an
   * exception if called with existing items in the cart"; the order "must be a valid order Id owned by the
   * currently session constituent". Answers the cart.
   */
  loadOrder(sessionKey: string, orderId: number, signal?: AbortSignal): Promise<TessituraCart> {
    return this.call('loadOrder', 'POST', `Web/Session/${encodeURIComponent(sessionKey)}/LoadOrder/${orderId}`, signal);
  }

  /**
   * Cart_ReturnTicket by ticket number, returned (`R`), not donated for resale (`D`): "Returning a ticket will
   * generate a credit on the ticket order", which must be applied before checkout (`applyOnAccountPayment`).
   */
  async returnTicket(sessionKey: string, ticketNumber: number, signal?: AbortSignal): Promise<void> {
    await this.call('returnTicket', 'POST', `Web/Cart/${encodeURIComponent(sessionKey)}/Tickets/Return`, signal, {
      TicketNumber: ticketNumber,
      ReturnOrDonate: 'R',
    });
  }

  /**
   * Cart_ApplyOnAccountPayment ("Not valid for a general public cart"): a negative amount applies the cart's
   * credit to the constituent's account on that payment method (the summary of Cart_ReturnTicket names an on
   * account payment method as where a return's credit may go).
   */
  async applyOnAccountPayment(
    sessionKey: string,
    payment: { amount: number; paymentMethodId: number; notes: string },
    signal?: AbortSignal,
  ): Promise<void> {
    await this.call('applyOnAccountPayment', 'POST', `Web/Cart/${encodeURIComponent(sessionKey)}/Payments/OnAccount`, signal, {
      Amount: payment.amount,
      PaymentMethodId: payment.paymentMethodId,
      Notes: payment.notes,
    });
  }

  /** Answers HTTP 200 with `SaveComplete`, `SaveInProgress` or `Error` (and Tessitura's message). */
  checkout(sessionKey: string, paymentReference: string, signal?: AbortSignal): Promise<CheckoutResponse> {
    return this.call('checkout', 'POST', `Web/Cart/${encodeURIComponent(sessionKey)}/Checkout`, signal, {
      Amount: 0,
      Authorize: false,
      AllowUnderPayment: false,
      PaymentReference: paymentReference,
    });
  }

  /** A saved order with its seats and ticket numbers; an order still in a session is not there yet. */
  getOrderProductsView(orderId: number, signal?: AbortSignal): Promise<OrderProductsView> {
    return this.call('getOrderProductsView', 'GET', `TXN/Orders/${orderId}/ProductsView`, signal);
  }

  /** The constituent's seats sold in orders placed between the two instants. */
  getSubLineItems(query: { constituentId: number; orderStartDate: string; orderEndDate: string }, signal?: AbortSignal): Promise<SubLineItemSummary[]> {
    const search = new URLSearchParams({
      constituentId: String(query.constituentId),
      includeAffiliations: 'false',
      orderStartDate: query.orderStartDate,
      orderEndDate: query.orderEndDate,
    });
    return this.call('getSubLineItems', 'GET', `TXN/SubLineItems?${search}`, signal);
  }

  /** `step` names the call in errors; paths are left out of them, as they carry the session key. A 429 is waited out (`retryWhileBusy`). */
  private call<T>(step: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, signal?: AbortSignal, body?: unknown): Promise<T> {
    return retryWhileBusy(() => this.breaker.run(() => this.exchange<T>(step, method, path, signal, body)), signal);
  }

  private async exchange<T>(step: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, signal?: AbortSignal, body?: unknown): Promise<T> {
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
      retryAfterMs: answer.retryAfterMs,
    });
  }
}
