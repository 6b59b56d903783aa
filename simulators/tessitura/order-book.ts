import { fromCents } from '../shared/money';
import { Sequence } from '../shared/sequence';
import { cartTotalCents, paidCents, type WebSession } from './web-session';

/** An order Tessitura saved at checkout. */
export interface TessituraOrder {
  orderId: number;
  sessionKey: string;
  /** The checkout's PaymentReference (where the gateway puts its idempotency key). */
  paymentReference: string | null;
  constituentId: number;
  totalAmount: number;
  paidAmount: number;
  lineItems: { lineItemId: number; performanceId: number; zoneId: number; priceTypeIds: number[]; seatNumbers: number[] }[];
  payments: { paymentId: number; amount: number; paymentMethodId: number; notes: string }[];
  createdAt: string;
}

const FIRST_ORDER_ID = 100_001;

/** Every order ever saved; it never merges two orders with the same reference. */
export class OrderBook {
  private saved: TessituraOrder[] = [];
  private readonly ids = new Sequence(FIRST_ORDER_ID);

  save(session: WebSession & { constituentId: number }, paymentReference: string | undefined): TessituraOrder {
    const order: TessituraOrder = {
      orderId: this.ids.next(),
      sessionKey: session.key,
      paymentReference: paymentReference ?? null,
      constituentId: session.constituentId,
      totalAmount: fromCents(cartTotalCents(session)),
      paidAmount: fromCents(paidCents(session)),
      lineItems: session.lineItems.map((item) => ({
        lineItemId: item.id,
        performanceId: item.performance.id,
        zoneId: item.zone.id,
        priceTypeIds: item.subLineItems.map((sub) => sub.priceType.id),
        seatNumbers: item.subLineItems.map((sub) => sub.seatNumber),
      })),
      payments: session.payments.map((payment) => ({
        paymentId: payment.id,
        amount: fromCents(payment.amountCents),
        paymentMethodId: payment.paymentMethodId,
        notes: payment.notes,
      })),
      createdAt: new Date().toISOString(),
    };
    this.saved.push(order);
    return order;
  }

  all(): TessituraOrder[] {
    return structuredClone(this.saved);
  }

  clear(): void {
    this.saved = [];
  }
}
