import { AdminInputError } from '../shared/admin-router';
import type { OrderDrift } from '../shared/drift-admin-routes';
import type { OrderBook, OrderRecord } from './order-book';

/**
 * Tessitura's saved orders drifting: a lost order is gone from the TXN resources (ProductsView answers 404);
 * a changed ticket count removes the order's last seats, or adds seats like its last one with new ticket
 * numbers. Amounts and payments stay as they were.
 */
export class TessituraDrift implements OrderDrift {
  constructor(private readonly orders: OrderBook) {}

  loseOrder(orderId: number): void {
    this.change(orderId, () => false);
  }

  setTicketCount(orderId: number, count: number): void {
    this.change(orderId, (record, nextTicketNumber) => {
      resize(record, count, nextTicketNumber);
      return true;
    });
  }

  private change(orderId: number, change: Parameters<OrderBook['drift']>[1]): void {
    if (!this.orders.drift(orderId, change)) throw new AdminInputError(`No saved order has id ${orderId}`);
  }
}

/** The order's seats, as the views render them (its line items) and as it was saved (its order's copy). */
function resize(record: OrderRecord, count: number, nextTicketNumber: () => number): void {
  const seats = () => record.lineItems.reduce((sum, item) => sum + item.subLineItems.length, 0);
  const lastWithSeats = () => record.lineItems.map((item) => item.subLineItems.length > 0).lastIndexOf(true);
  while (seats() > count) {
    const index = lastWithSeats();
    record.lineItems[index].subLineItems.pop();
    const saved = record.order.lineItems[index];
    for (const list of [saved.seatNumbers, saved.ticketNumbers, saved.priceTypeIds]) list.pop();
  }
  while (seats() < count) {
    const index = lastWithSeats();
    if (index < 0) throw new AdminInputError(`Order ${record.order.orderId} has no seat to copy`);
    const subs = record.lineItems[index].subLineItems;
    const last = subs[subs.length - 1];
    const added = { ...last, id: last.id + 1, seatNumber: Math.max(...subs.map((sub) => sub.seatNumber)) + 1, ticketNumber: nextTicketNumber() };
    subs.push(added);
    const saved = record.order.lineItems[index];
    saved.seatNumbers.push(added.seatNumber);
    saved.ticketNumbers.push(added.ticketNumber);
    saved.priceTypeIds.push(added.priceType.id);
  }
}
