import { fromCents, toCents } from '../shared/money';
import { Sequence } from '../shared/sequence';
import { cartTotalCents, paidCents, type LineItem, type Payment, type WebSession } from './web-session';

/** Tickets of a saved order returned through a session that loaded it (Session_LoadOrder, Cart_ReturnTicket, Checkout). */
export interface OrderReturn {
  returnId: number;
  sessionKey: string;
  /** The return checkout's PaymentReference. */
  paymentReference: string | null;
  ticketNumbers: number[];
  /** What the returned seats had cost: the credit the return made. */
  amount: number;
  payments: TessituraOrder['payments'];
  /** The cart's notes, which become the order's notes once the return is saved. */
  notes: string;
  createdAt: string;
  /** False while the return's checkout is still `SaveInProgress`: the order does not show it yet. */
  saved: boolean;
}

/** An order Tessitura saved at checkout. */
export interface TessituraOrder {
  orderId: number;
  sessionKey: string;
  /** The checkout's PaymentReference (where the gateway puts its idempotency key). */
  paymentReference: string | null;
  constituentId: number;
  modeOfSaleId: number | null;
  sourceId: number | null;
  /** The cart properties' Notes, shown as OrderNotes. */
  notes: string;
  totalAmount: number;
  paidAmount: number;
  lineItems: {
    lineItemId: number;
    performanceId: number;
    zoneId: number;
    priceTypeIds: number[];
    seatNumbers: number[];
    ticketNumbers: number[];
  }[];
  payments: { paymentId: number; amount: number; paymentMethodId: number; notes: string }[];
  createdAt: string;
  /** False while the checkout is still `SaveInProgress`: the order is not visible under TXN/Orders yet. */
  saved: boolean;
  /** Tickets returned by saved returns, and their price in all (`TotalReturnAmount`). */
  returnedTicketNumbers: number[];
  returnAmount: number;
  /** Every return checked out on the order, saved or still saving. */
  returns: OrderReturn[];
}

/** Where the seats of returned tickets are, so that they can be sold again. */
export type ReturnedSeats = { performanceId: number; zoneId: number; seatNumbers: number[] };

/** A saved order with the cart it was made from, as the TXN views render it. */
export interface OrderRecord {
  order: TessituraOrder;
  lineItems: LineItem[];
}

const FIRST_ORDER_ID = 100_001;
const FIRST_TICKET_NUMBER = 7_000_001;

/** Every order ever saved; it never merges two orders with the same reference. */
export class OrderBook {
  private records: OrderRecord[] = [];
  private readonly ids = new Sequence(FIRST_ORDER_ID);
  private readonly ticketNumbers = new Sequence(FIRST_TICKET_NUMBER);
  private readonly returnIds = new Sequence(1);

  /** Saves the session's cart as an order, giving each seat its ticket number. */
  save(session: WebSession & { constituentId: number }, options: { paymentReference?: string; saved: boolean }): TessituraOrder {
    for (const sub of session.lineItems.flatMap((item) => item.subLineItems)) sub.ticketNumber = this.ticketNumbers.next();
    const order: TessituraOrder = {
      orderId: this.ids.next(),
      sessionKey: session.key,
      paymentReference: options.paymentReference ?? null,
      constituentId: session.constituentId,
      modeOfSaleId: session.properties.ModeOfSaleId ?? null,
      sourceId: session.properties.SourceId ?? null,
      notes: session.properties.Notes ?? '',
      totalAmount: fromCents(cartTotalCents(session)),
      paidAmount: fromCents(paidCents(session)),
      lineItems: session.lineItems.map((item) => ({
        lineItemId: item.id,
        performanceId: item.performance.id,
        zoneId: item.zone.id,
        priceTypeIds: item.subLineItems.map((sub) => sub.priceType.id),
        seatNumbers: item.subLineItems.map((sub) => sub.seatNumber),
        ticketNumbers: item.subLineItems.map((sub) => sub.ticketNumber as number),
      })),
      payments: session.payments.map((payment) => ({
        paymentId: payment.id,
        amount: fromCents(payment.amountCents),
        paymentMethodId: payment.paymentMethodId,
        notes: payment.notes,
      })),
      createdAt: new Date().toISOString(),
      saved: options.saved,
      returnedTicketNumbers: [],
      returnAmount: 0,
      returns: [],
    };
    this.records.push({ order, lineItems: structuredClone(session.lineItems) });
    return order;
  }

  /** The saved order, as a cart loads it; undefined when unknown or still being saved. */
  savedRecord(orderId: number): OrderRecord | undefined {
    return this.savedRecords().find((record) => record.order.orderId === orderId);
  }

  /**
   * Checks out the tickets a session returned from the order it loaded, with the session's payments (the
   * credit applied on account) and notes. Saved at once, or when `completeReturn` is called.
   */
  saveReturn(
    orderId: number,
    change: { sessionKey: string; paymentReference?: string; ticketNumbers: number[]; payments: Payment[]; notes: string },
    options: { saved: boolean },
  ): { orderReturn: OrderReturn; seats: ReturnedSeats[] } {
    const record = this.recordOf(orderId);
    const returned = record.lineItems.flatMap((item) => item.subLineItems.filter((sub) => change.ticketNumbers.includes(sub.ticketNumber as number)));
    const orderReturn: OrderReturn = {
      returnId: this.returnIds.next(),
      sessionKey: change.sessionKey,
      paymentReference: change.paymentReference ?? null,
      ticketNumbers: [...change.ticketNumbers],
      amount: fromCents(returned.reduce((sum, sub) => sum + sub.priceCents, 0)),
      payments: change.payments.map((payment) => ({
        paymentId: payment.id,
        amount: fromCents(payment.amountCents),
        paymentMethodId: payment.paymentMethodId,
        notes: payment.notes,
      })),
      notes: change.notes,
      createdAt: new Date().toISOString(),
      saved: false,
    };
    record.order.returns.push(orderReturn);
    return { orderReturn, seats: options.saved ? this.completeReturn(orderReturn.returnId) : [] };
  }

  /** A return's save has finished: the order shows it. Answers the seats it gave back. */
  completeReturn(returnId: number): ReturnedSeats[] {
    const record = this.records.find((candidate) => candidate.order.returns.some((r) => r.returnId === returnId));
    const orderReturn = record?.order.returns.find((r) => r.returnId === returnId);
    if (!record || !orderReturn || orderReturn.saved) return [];
    const { order } = record;
    orderReturn.saved = true;
    order.returnedTicketNumbers.push(...orderReturn.ticketNumbers);
    order.returnAmount = fromCents(toCents(order.returnAmount) + toCents(orderReturn.amount));
    order.payments.push(...orderReturn.payments);
    order.paidAmount = fromCents(order.payments.reduce((sum, payment) => sum + toCents(payment.amount), 0));
    order.notes = orderReturn.notes;
    return record.lineItems
      .map((item) => ({
        performanceId: item.performance.id,
        zoneId: item.zone.id,
        seatNumbers: item.subLineItems.filter((sub) => orderReturn.ticketNumbers.includes(sub.ticketNumber as number)).map((sub) => sub.seatNumber),
      }))
      .filter((seats) => seats.seatNumbers.length > 0);
  }

  /** A `SaveInProgress` checkout has finished saving. */
  complete(orderId: number): void {
    const record = this.records.find((candidate) => candidate.order.orderId === orderId);
    if (record) record.order.saved = true;
  }

  /** The saved (not still saving) orders, as the TXN resources show them. */
  savedRecords(): OrderRecord[] {
    return structuredClone(this.records.filter((record) => record.order.saved));
  }

  private recordOf(orderId: number): OrderRecord {
    const record = this.records.find((candidate) => candidate.order.orderId === orderId);
    if (!record) throw new Error(`order ${orderId} is not in the order book`);
    return record;
  }

  all(): TessituraOrder[] {
    return structuredClone(this.records.map((record) => record.order));
  }

  /**
   * Drift (tests, demos: see order-drift.ts): changes a saved order behind its seller's back. `change` gets
   * the order and a source of new ticket numbers, and answers false to forget the order altogether.
   * Answers false when no saved order has this id.
   */
  drift(orderId: number, change: (record: OrderRecord, nextTicketNumber: () => number) => boolean): boolean {
    const index = this.records.findIndex((candidate) => candidate.order.orderId === orderId && candidate.order.saved);
    if (index < 0) return false;
    if (!change(this.records[index], () => this.ticketNumbers.next())) this.records.splice(index, 1);
    return true;
  }

  clear(): void {
    this.records = [];
  }
}
