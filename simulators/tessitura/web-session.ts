import type { Named } from './catalogue';

export interface SubLineItem {
  id: number;
  seatNumber: number;
  priceType: Named;
  priceCents: number;
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

export interface Checkout {
  orderId: number;
  status: CheckoutStatusName;
  at: number;
  paymentReference?: string;
}

/** A web session and its cart, as the simulator keeps them. */
export interface WebSession {
  key: string;
  createdAt: number;
  lastActivityAt: number;
  businessUnitId?: number;
  organization?: string;
  constituentId?: number;
  lineItems: LineItem[];
  payments: Payment[];
  firstSeatAddedAt?: number;
  /** Some of the cart's reservations expired and were released. */
  seatsExpired: boolean;
  checkout?: Checkout;
}

export function cartTotalCents(session: WebSession): number {
  return sum(session.lineItems.flatMap((item) => item.subLineItems.map((sub) => sub.priceCents)));
}

export function paidCents(session: WebSession): number {
  return sum(session.payments.map((payment) => payment.amountCents));
}

export function balanceCents(session: WebSession): number {
  return cartTotalCents(session) - paidCents(session);
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
