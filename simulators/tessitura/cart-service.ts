import { toCents } from '../shared/money';
import { Sequence } from '../shared/sequence';
import type { BodyOf } from './body-fields';
import type { Catalogue } from './catalogue';
import type { OrderBook, ReturnedSeats } from './order-book';
import type {
  APPLY_ON_ACCOUNT_PAYMENT_REQUEST,
  APPLY_OTHER_PAYMENT_REQUEST,
  CART_PROPERTIES,
  CHECKOUT_REQUEST,
  RESERVE_TICKETS_REQUEST,
} from './request-fields';
import type { SaleBehaviour } from './sale-behaviour';
import { businessError } from './tessitura-error';
import { balanceCents, type CartProperties, type Checkout, type LineItem, type LoadedOrder, type Payment, type WebSession } from './web-session';

export type ReserveTicketsRequest = BodyOf<typeof RESERVE_TICKETS_REQUEST, 'PerformanceId' | 'NumberOfSeats' | 'PriceType' | 'ZoneId'>;
export type ApplyOtherPaymentRequest = BodyOf<typeof APPLY_OTHER_PAYMENT_REQUEST, 'Amount' | 'PaymentMethodId'>;
export type ApplyOnAccountPaymentRequest = BodyOf<typeof APPLY_ON_ACCOUNT_PAYMENT_REQUEST, 'Amount' | 'PaymentMethodId'>;
export type CheckoutRequest = BodyOf<typeof CHECKOUT_REQUEST, 'Amount'>;
export type CartPropertiesRequest = BodyOf<typeof CART_PROPERTIES, never>;
export type CheckoutResponse = { Status: Checkout['status']; Message: string };

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
    private readonly behaviour: SaleBehaviour,
  ) {}

  /** Any positive constituent id exists; only a business-facing session may name one (Session_SetConstituent). */
  setConstituent(session: WebSession, constituentId: number): void {
    assertNotCheckedOut(session);
    if (!session.businessFacing) {
      throw businessError(
        'TESSITURA_NOT_BUSINESS_FACING',
        'The constituent can be set only on a business facing session (POST Web/Session/BusinessFacing)',
      );
    }
    if (constituentId < 1) {
      throw businessError('TESSITURA_CONSTITUENT_NOT_FOUND', `Constituent ${constituentId} does not exist`, 'request.ConstituentId');
    }
    session.constituentId = constituentId;
  }

  reserveTickets(session: WebSession, request: ReserveTicketsRequest): LineItem {
    assertNotCheckedOut(session);
    if (session.loadedOrder) {
      throw businessError('TESSITURA_NOT_SIMULATED', 'Adding tickets to a loaded order (an exchange) is not simulated: sell them in a new session');
    }
    if (request.NumberOfSeats < 1 || request.NumberOfSeats > MAX_SEATS_PER_RESERVATION) {
      throw businessError('TESSITURA_VALIDATION_ERROR', `NumberOfSeats must be from 1 to ${MAX_SEATS_PER_RESERVATION}`, 'request.NumberOfSeats');
    }
    const priceTypeIds = parsePriceTypes(request.PriceType, request.NumberOfSeats);
    // Tessitura may reserve fewer seats than asked (ReserveTicketsResponse.SeatsReserved); told to, the simulator keeps at least one.
    const reserved = priceTypeIds.slice(0, Math.max(1, priceTypeIds.length - this.behaviour.takeShortfall()));
    const reservation = this.catalogue.reserve(request.PerformanceId, request.ZoneId, reserved);
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

  /**
   * Cart_ApplyOnAccountPayment ("Not valid for a general public cart"): a positive amount pays from the
   * constituent's account, a negative one applies a credit (a returned ticket's) to it, up to the credit held.
   */
  applyOnAccountPayment(session: WebSession, request: ApplyOnAccountPaymentRequest): Payment {
    assertNotCheckedOut(session);
    if (!session.businessFacing) {
      throw businessError('TESSITURA_NOT_BUSINESS_FACING', 'An on account payment is not valid for a general public cart');
    }
    if (session.constituentId === undefined) {
      throw businessError('TESSITURA_CONSTITUENT_REQUIRED', 'An on account payment needs the constituent whose account it is');
    }
    const amountCents = toCents(request.Amount);
    if (amountCents === 0) throw businessError('TESSITURA_VALIDATION_ERROR', 'Amount must not be 0', 'request.Amount');
    if (request.PaymentMethodId < 1) {
      throw businessError('TESSITURA_PAYMENT_METHOD_NOT_FOUND', `Payment method ${request.PaymentMethodId} does not exist`, 'request.PaymentMethodId');
    }
    if (amountCents > 0) assertWithinBalance(session, amountCents);
    else if (-amountCents > -balanceCents(session)) {
      throw businessError('TESSITURA_PAYMENT_EXCEEDS_CREDIT', 'The amount applied exceeds the credit the cart holds', 'request.Amount');
    }
    return this.addPayment(session, amountCents, request.PaymentMethodId, request.Notes ?? '');
  }

  /** PUT replaces the properties with what is sent: a field left out is cleared, as the summary warns. */
  setProperties(session: WebSession, request: CartPropertiesRequest): CartProperties {
    assertNotCheckedOut(session);
    session.properties = { ModeOfSaleId: request.ModeOfSaleId, SourceId: request.SourceId, Notes: request.Notes };
    return session.properties;
  }

  /** Cart_ClearCart: releases the cart's seats and forgets its payments; a saved order cannot be cleared. */
  clear(session: WebSession): void {
    assertNotCheckedOut(session);
    for (const item of session.lineItems) this.catalogue.release(item.performance.id, item.zone.id, item.subLineItems.map((sub) => sub.seatNumber));
    session.lineItems = [];
    session.payments = [];
    session.firstSeatAddedAt = undefined;
    session.checkout = undefined;
    session.loadedOrder = undefined;
  }

  checkout(session: WebSession, request: CheckoutRequest): CheckoutResponse {
    assertNotCheckedOut(session);
    const { constituentId } = session;
    if (constituentId === undefined) {
      throw businessError('TESSITURA_CONSTITUENT_REQUIRED', 'A constituent must be set on the session before checkout');
    }
    if (!session.properties.ModeOfSaleId || !session.properties.SourceId) {
      throw businessError('TESSITURA_SOURCE_REQUIRED', 'A mode of sale and a source must be set on the cart before checkout');
    }
    if (session.lineItems.length === 0 && !session.loadedOrder) {
      throw businessError('TESSITURA_CART_EMPTY', 'The cart has no line items (reservations may have expired)');
    }
    const amountCents = toCents(request.Amount);
    if (amountCents < 0) throw businessError('TESSITURA_VALIDATION_ERROR', 'Amount must not be negative', 'request.Amount');
    if (balanceCents(session) < 0) {
      throw businessError('TESSITURA_CREDIT_NOT_APPLIED', 'The credit of the returned tickets must be applied (for instance on account) before checkout');
    }
    assertWithinBalance(session, amountCents);
    if (amountCents < balanceCents(session) && !request.AllowUnderPayment) {
      throw businessError('TESSITURA_UNDERPAYMENT', 'Payments do not cover the amount due', 'request.Amount');
    }
    const outcome = this.behaviour.takeCheckoutOutcome();
    if (outcome?.status === 'Error') {
      session.checkout = { status: 'Error', at: Date.now(), message: outcome.message };
      return { Status: 'Error', Message: outcome.message };
    }
    if (amountCents > 0) this.addPayment(session, amountCents, CHECKOUT_PAYMENT_METHOD_ID, 'Charged at checkout');
    const saving = outcome?.status === 'SaveInProgress';
    const { orderId, returnId } = session.loadedOrder
      ? this.saveReturn(session, session.loadedOrder, request.PaymentReference, !saving)
      : { orderId: this.orders.save({ ...session, constituentId }, { paymentReference: request.PaymentReference, saved: !saving }).orderId, returnId: undefined };
    const message = saving ? `Order ${orderId} is being saved` : `Order ${orderId} saved`;
    const checkout: Checkout = saving
      ? { status: 'SaveInProgress', orderId, returnId, at: Date.now(), message, readsUntilSaved: outcome.reads }
      : { status: 'SaveComplete', orderId, returnId, at: Date.now(), message };
    session.checkout = checkout;
    return { Status: checkout.status, Message: message };
  }

  /** A read of the session: a save in progress completes after the number of reads it was told. */
  observe(session: WebSession): void {
    const { checkout } = session;
    if (checkout?.status !== 'SaveInProgress') return;
    checkout.readsUntilSaved -= 1;
    if (checkout.readsUntilSaved > 0) return;
    const { orderId, returnId } = checkout;
    session.checkout = { status: 'SaveComplete', orderId, returnId, at: Date.now(), message: `Order ${orderId} saved` };
    if (returnId === undefined) this.orders.complete(orderId);
    else this.release(this.orders.completeReturn(returnId));
  }

  /** A loaded order's checkout saves the tickets the cart returned (their seats on sale again) with its payments and notes. */
  private saveReturn(session: WebSession, loaded: LoadedOrder, paymentReference: string | undefined, saved: boolean) {
    const change = { sessionKey: session.key, paymentReference, ticketNumbers: loaded.returning, payments: session.payments, notes: session.properties.Notes ?? '' };
    const { orderReturn, seats } = this.orders.saveReturn(loaded.orderId, change, { saved });
    this.release(seats);
    return { orderId: loaded.orderId, returnId: orderReturn.returnId };
  }

  private release(seats: ReturnedSeats[]): void {
    for (const { performanceId, zoneId, seatNumbers } of seats) this.catalogue.release(performanceId, zoneId, seatNumbers);
  }

  private addPayment(session: WebSession, amountCents: number, paymentMethodId: number, notes: string): Payment {
    const payment = { id: this.paymentIds.next(), amountCents, paymentMethodId, notes };
    session.payments.push(payment);
    return payment;
  }
}

export function assertNotCheckedOut(session: WebSession): void {
  if (session.checkout && session.checkout.status !== 'Error') {
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
