import { toCents } from '../shared/money';
import type { BodyOf } from './body-fields';
import { assertNotCheckedOut } from './cart-service';
import type { OrderBook } from './order-book';
import type { RETURN_TICKET_REQUEST } from './request-fields';
import type { SessionStore } from './session-store';
import { businessError } from './tessitura-error';
import { isReturned, type WebSession } from './web-session';

export type ReturnTicketRequest = BodyOf<typeof RETURN_TICKET_REQUEST, 'TicketNumber' | 'ReturnOrDonate'>;

/**
 * Loading a saved order into a cart and returning its tickets (Session_LoadOrder, Cart_ReturnTicket). Nothing
 * changes in the order until the cart is checked out (CartService.checkout saves the return); clearing the
 * cart forgets the load and its returns.
 */
export class OrderReturns {
  constructor(
    private readonly sessions: SessionStore,
    private readonly orders: OrderBook,
  ) {}

  /**
   * "The method raises an exception if called with existing items in the cart"; the order "must be a valid
   * order Id owned by the currently session constituent"; "locked orders cannot be loaded" (an order is
   * locked while another live session has it loaded and has not saved it). The session then sells under
   * the order's mode of sale and source, and its notes are the order's.
   */
  loadOrder(session: WebSession, orderId: number): void {
    assertNotCheckedOut(session);
    if (session.lineItems.length > 0 || session.payments.length > 0 || session.loadedOrder) {
      throw businessError('TESSITURA_CART_NOT_EMPTY', 'An order can be loaded only into an empty cart');
    }
    const record = this.orders.savedRecord(orderId);
    if (!record) throw businessError('TESSITURA_ORDER_NOT_FOUND', `Order ${orderId} not found`, 'orderId');
    if (session.constituentId !== record.order.constituentId) {
      throw businessError('TESSITURA_ORDER_NOT_OWNED', `Order ${orderId} is not owned by the session's constituent`, 'orderId');
    }
    const lockedBy = this.sessions
      .all()
      .find((other) => other.key !== session.key && other.loadedOrder?.orderId === orderId && other.checkout?.status !== 'SaveComplete');
    if (lockedBy) throw businessError('TESSITURA_ORDER_LOCKED', `Order ${orderId} is locked: another session has it loaded`, 'orderId');
    const { order, lineItems } = record;
    session.loadedOrder = { orderId, lineItems, paidCents: toCents(order.paidAmount), returnedTicketNumbers: order.returnedTicketNumbers, returning: [] };
    session.properties = { ModeOfSaleId: order.modeOfSaleId ?? undefined, SourceId: order.sourceId ?? undefined, Notes: order.notes };
  }

  /** Marks a ticket of the loaded order to be returned when the cart is checked out; its price becomes a credit. */
  returnTicket(session: WebSession, request: ReturnTicketRequest): void {
    assertNotCheckedOut(session);
    if (request.ReturnOrDonate === 'D') {
      throw businessError('TESSITURA_NOT_SIMULATED', 'Donating a ticket for resale is not simulated: return it ("R")', 'request.ReturnOrDonate');
    }
    if (request.ReturnOrDonate !== 'R') {
      throw businessError('TESSITURA_VALIDATION_ERROR', 'ReturnOrDonate must be "R" (return) or "D" (donate for resale)', 'request.ReturnOrDonate');
    }
    const loaded = session.loadedOrder;
    if (!loaded) {
      throw businessError('TESSITURA_ORDER_NOT_LOADED', "Load the ticket's order (POST Web/Session/{sessionKey}/LoadOrder/{orderId}) before returning it");
    }
    const ticket = request.TicketNumber;
    if (!loaded.lineItems.some((item) => item.subLineItems.some((sub) => sub.ticketNumber === ticket))) {
      throw businessError('TESSITURA_TICKET_NOT_FOUND', `Ticket ${ticket} is not in order ${loaded.orderId}`, 'request.TicketNumber');
    }
    if (isReturned(loaded, ticket)) throw businessError('TESSITURA_TICKET_ALREADY_RETURNED', `Ticket ${ticket} is already returned`, 'request.TicketNumber');
    loaded.returning.push(ticket);
  }
}
