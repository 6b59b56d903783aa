import { toCents } from '../shared/money';
import { Sequence } from '../shared/sequence';
import type { BodyOf } from './body-fields';
import type { Catalogue } from './catalogue';
import type { OrderBook, TessituraOrder } from './order-book';
import type { APPLY_OTHER_PAYMENT_REQUEST, CHECKOUT_REQUEST, RESERVE_TICKETS_REQUEST } from './request-fields';
import { businessError } from './tessitura-error';
import { balanceCents, type LineItem, type Payment, type WebSession } from './web-session';

export type ReserveTicketsRequest = BodyOf<typeof RESERVE_TICKETS_REQUEST, 'PerformanceId' | 'NumberOfSeats' | 'PriceType' | 'ZoneId'>;
export type ApplyOtherPaymentRequest = BodyOf<typeof APPLY_OTHER_PAYMENT_REQUEST, 'Amount' | 'PaymentMethodId'>;
export type CheckoutRequest = BodyOf<typeof CHECKOUT_REQUEST, 'Amount'>;

/** Payment method recorded for an amount charged by the checkout call itself. */
const CHECKOUT_PAYMENT_METHOD_ID = 0;
const MAX_SEATS_PER_RESERVATION = 1000;

/** The business rules of building a cart and checking it out. */
export class CartService {
  private readonly lineItemIds = new Sequence(1);
  private readonly subLineItemIds = new Sequence(1);
  private readonly paymentIds = new Sequence(1);

  constructor(
    private readonly catalogue: Catalogue,
    private readonly orders: OrderBook,
  ) {}

  /** Any positive constituent id exists. */
  setConstituent(session: WebSession, constituentId: number): void {
    assertNotCheckedOut(session);
    if (constituentId < 1) {
      throw businessError('TESSITURA_CONSTITUENT_NOT_FOUND', `Constituent ${constituentId} does not exist`, 'request.ConstituentId');
    }
    session.constituentId = constituentId;
  }

  reserveTickets(session: WebSession, request: ReserveTicketsRequest): LineItem {
    assertNotCheckedOut(session);
    if (request.NumberOfSeats < 1 || request.NumberOfSeats > MAX_SEATS_PER_RESERVATION) {
      throw businessError('TESSITURA_VALIDATION_ERROR', `NumberOfSeats must be from 1 to ${MAX_SEATS_PER_RESERVATION}`, 'request.NumberOfSeats');
    }
    const priceTypeIds = parsePriceTypes(request.PriceType, request.NumberOfSeats);
    const reservation = this.catalogue.reserve(request.PerformanceId, request.ZoneId, priceTypeIds);
    const now = Date.now();
    const lineItem: LineItem = {
      id: this.lineItemIds.next(),
      performance: reservation.performance,
      zone: reservation.zone,
      subLineItems: reservation.seats.map((seat) => ({ id: this.subLineItemIds.next(), ...seat })),
      reservedAt: now,
    };
    session.lineItems.push(lineItem);
    session.firstSeatAddedAt ??= now;
    return lineItem;
  }

  applyOtherPayment(session: WebSession, request: ApplyOtherPaymentRequest): Payment {
    assertNotCheckedOut(session);
    const amountCents = toCents(request.Amount);
    if (amountCents <= 0) {
      throw businessError('TESSITURA_VALIDATION_ERROR', 'Amount must be greater than 0', 'request.Amount');
    }
    if (request.PaymentMethodId < 1) {
      throw businessError('TESSITURA_PAYMENT_METHOD_NOT_FOUND', `Payment method ${request.PaymentMethodId} does not exist`, 'request.PaymentMethodId');
    }
    assertWithinBalance(session, amountCents);
    return this.addPayment(session, amountCents, request.PaymentMethodId, request.Notes ?? '');
  }

  checkout(session: WebSession, request: CheckoutRequest): TessituraOrder {
    assertNotCheckedOut(session);
    const { constituentId } = session;
    if (constituentId === undefined) {
      throw businessError('TESSITURA_CONSTITUENT_REQUIRED', 'A constituent must be set on the session before checkout');
    }
    if (session.lineItems.length === 0) {
      throw businessError('TESSITURA_CART_EMPTY', 'The cart has no line items (reservations may have expired)');
    }
    const amountCents = toCents(request.Amount);
    if (amountCents < 0) throw businessError('TESSITURA_VALIDATION_ERROR', 'Amount must not be negative', 'request.Amount');
    assertWithinBalance(session, amountCents);
    if (amountCents < balanceCents(session) && !request.AllowUnderPayment) {
      throw businessError('TESSITURA_UNDERPAYMENT', 'Payments do not cover the amount due', 'request.Amount');
    }
    if (amountCents > 0) this.addPayment(session, amountCents, CHECKOUT_PAYMENT_METHOD_ID, 'Charged at checkout');
    const order = this.orders.save({ ...session, constituentId }, request.PaymentReference);
    session.checkout = { orderId: order.orderId, status: 'SaveComplete', at: Date.now(), paymentReference: request.PaymentReference };
    return order;
  }

  private addPayment(session: WebSession, amountCents: number, paymentMethodId: number, notes: string): Payment {
    const payment = { id: this.paymentIds.next(), amountCents, paymentMethodId, notes };
    session.payments.push(payment);
    return payment;
  }
}

function assertNotCheckedOut(session: WebSession): void {
  if (session.checkout) {
    throw businessError('TESSITURA_ALREADY_CHECKED_OUT', `The order of this session was already checked out (order ${session.checkout.orderId})`);
  }
}

function assertWithinBalance(session: WebSession, amountCents: number): void {
  if (amountCents > balanceCents(session)) {
    throw businessError('TESSITURA_PAYMENT_EXCEEDS_BALANCE', 'The payment exceeds the balance still due', 'request.Amount');
  }
}

/** `PriceType` is one price type id for all seats, or a comma-separated id per seat. */
function parsePriceTypes(priceType: string, numberOfSeats: number): number[] {
  const ids = priceType.split(',').map((part) => part.trim());
  const valid = ids.every((id) => /^\d{1,9}$/.test(id)) && (ids.length === 1 || ids.length === numberOfSeats);
  if (!valid) {
    throw businessError('TESSITURA_VALIDATION_ERROR', 'PriceType must be a price type id, or one id per seat separated by commas', 'request.PriceType');
  }
  return ids.length === 1 ? Array(numberOfSeats).fill(Number(ids[0])) : ids.map(Number);
}
