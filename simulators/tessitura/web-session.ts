import type { Named } from './catalogue';

export interface SubLineItem {
  id: number;
  seatNumber: number;
  priceType: Named;
  priceCents: number;
  /** Assigned when the order is saved at checkout. */
  ticketNumber?: number;
}

export interface LineItem {
  id: number;
  performance: Named & { dateTime?: string };
  zone: Named;
  subLineItems: SubLineItem[];
  reservedAt: number;
}

export interface Payment {
  id: number;
  amountCents: number;
  paymentMethodId: number;
  notes: string;
}

export type CheckoutStatusName = 'SaveInProgress' | 'SaveComplete' | 'Error';

/**
 * What the last checkout call did: an order saved (or still being saved), or an error with nothing saved.
 * `returnId` names the return saved on a loaded order (the order keeps its id).
 */
export type Checkout =
  | { status: 'SaveComplete'; orderId: number; returnId?: number; at: number; message: string }
  | { status: 'SaveInProgress'; orderId: number; returnId?: number; at: number; message: string; readsUntilSaved: number }
  | { status: 'Error'; at: number; message: string };

/**
 * A saved order loaded into the cart (Session_LoadOrder): its seats as saved (with ticket numbers), what
 * was paid of it, the tickets returned before, and the tickets this cart returns when it is checked out.
 */
export interface LoadedOrder {
  orderId: number;
  lineItems: LineItem[];
  paidCents: number;
  returnedTicketNumbers: number[];
  returning: number[];
}

/** The cart properties a client may set (Swagger `CartProperties`); the rest are Tessitura's. */
export interface CartProperties {
  ModeOfSaleId?: number;
  SourceId?: number;
  Notes?: string;
}

/** A web session and its cart, as the simulator keeps them. */
export interface WebSession {
  key: string;
  createdAt: number;
  lastActivityAt: number;
  businessUnitId?: number;
  organization?: string;
  /** Made by `POST Web/Session/BusinessFacing`: a back-office session that may set its constituent. */
  businessFacing: boolean;
  properties: CartProperties;
  constituentId?: number;
  lineItems: LineItem[];
  payments: Payment[];
  firstSeatAddedAt?: number;
  /** Some of the cart's reservations expired and were released. */
  seatsExpired: boolean;
  /** Set by Session_LoadOrder; the cart then changes that order instead of making a new one. */
  loadedOrder?: LoadedOrder;
  checkout?: Checkout;
}

/** The session's order was saved (or is being saved): its seats are sold, its cart can no longer change. */
export function isSaved(session: WebSession): boolean {
  return session.checkout !== undefined && session.checkout.status !== 'Error';
}

/** A seat of the loaded order that was returned, or that this cart returns. */
export function isReturned(loaded: LoadedOrder, ticketNumber: number | undefined): boolean {
  return ticketNumber !== undefined && (loaded.returnedTicketNumbers.includes(ticketNumber) || loaded.returning.includes(ticketNumber));
}

/** The seats of the cart: its new ones, and those of the loaded order it keeps. */
export function cartTotalCents(session: WebSession): number {
  const { loadedOrder } = session;
  const kept = loadedOrder
    ? loadedOrder.lineItems.flatMap((item) => item.subLineItems.filter((sub) => !isReturned(loadedOrder, sub.ticketNumber)))
    : [];
  return sum([...session.lineItems.flatMap((item) => item.subLineItems), ...kept].map((sub) => sub.priceCents));
}

/** What the loaded order was paid before this cart (`AmountPaidPreviously`). */
export function paidPreviouslyCents(session: WebSession): number {
  return session.loadedOrder?.paidCents ?? 0;
}

/** The payments made in this cart (`AmountPaidNow`); a credit applied on account is negative. */
export function paidCents(session: WebSession): number {
  return sum(session.payments.map((payment) => payment.amountCents));
}

/** Still due; negative when returns left a credit not yet applied. */
export function balanceCents(session: WebSession): number {
  return cartTotalCents(session) - paidPreviouslyCents(session) - paidCents(session);
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
