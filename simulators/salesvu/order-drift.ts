import { fromCents, toCents } from '../shared/money';
import { AdminInputError } from '../shared/admin-router';
import type { OrderDrift } from '../shared/drift-admin-routes';
import type { OrderStore, SalesVuOrder } from './order-store';

/**
 * SalesVu's orders drifting: a lost order is unknown to `get_order` ("not found"); a changed ticket count
 * sets the first line's quantity so that the lines add up to it (the total follows).
 */
export class SalesVuDrift implements OrderDrift {
  constructor(private readonly orders: OrderStore) {}

  loseOrder(orderId: number): void {
    if (!this.orders.forget(orderId)) throw new AdminInputError(`No order has id ${orderId}`);
  }

  setTicketCount(orderId: number, count: number): void {
    const order = this.liveOrder(orderId);
    const [first, ...others] = order.order_details;
    if (!first) throw new AdminInputError(`Order ${orderId} has no line`);
    first.quantity = count - others.reduce((sum, line) => sum + line.quantity, 0);
    order.total = fromCents(order.order_details.reduce((sum, line) => sum + toCents(line.quantity * line.selling_price), 0));
  }

  /** The order itself (not a copy), in whichever store it is. */
  private liveOrder(orderId: number): SalesVuOrder {
    const known = this.orders.list().find((order) => order.order_id === orderId);
    if (!known) throw new AdminInputError(`No order has id ${orderId}`);
    return this.orders.find(known.store_id, orderId);
  }
}
