import { fromCents, toCents } from '../shared/money';
import { Sequence } from '../shared/sequence';
import { SalesVuError } from './salesvu-error';

export interface OrderDetail {
  product_id: string | number;
  unit_id: string | number | null;
  quantity: number;
  selling_price: number;
  notes: { comment: string }[];
}

export interface OrderNote {
  note_id: number;
  comment: string;
  created_at: string;
}

/** A SalesVu order as the simulator keeps it and as `get_order` answers it. */
export interface SalesVuOrder {
  order_id: number;
  store_id: string;
  order_status: 'open' | 'completed';
  created_at: string;
  completed_at: string | null;
  total: number;
  order_details: OrderDetail[];
  notes: OrderNote[];
}

const FIRST_ORDER_ID = 5001;

/** Orders per store; an order is visible only to its own store. */
export class OrderStore {
  private orders: SalesVuOrder[] = [];
  private readonly orderIds = new Sequence(FIRST_ORDER_ID);
  private readonly noteIds = new Sequence(1);

  create(storeId: string, details: OrderDetail[]): SalesVuOrder {
    const totalCents = details.reduce((sum, detail) => sum + toCents(detail.quantity * detail.selling_price), 0);
    const order: SalesVuOrder = {
      order_id: this.orderIds.next(),
      store_id: storeId,
      order_status: 'open',
      created_at: new Date().toISOString(),
      completed_at: null,
      total: fromCents(totalCents),
      order_details: details,
      notes: [],
    };
    this.orders.push(order);
    return order;
  }

  complete(storeId: string, orderId: number): SalesVuOrder {
    const order = this.find(storeId, orderId);
    if (order.order_status === 'completed') throw new SalesVuError(`Order ${orderId} is already completed`);
    order.order_status = 'completed';
    order.completed_at = new Date().toISOString();
    return order;
  }

  addNote(storeId: string, orderId: number, comment: string): OrderNote {
    const note = { note_id: this.noteIds.next(), comment, created_at: new Date().toISOString() };
    this.find(storeId, orderId).notes.push(note);
    return note;
  }

  find(storeId: string, orderId: number): SalesVuOrder {
    const order = this.orders.find((candidate) => candidate.order_id === orderId && candidate.store_id === storeId);
    if (!order) throw new SalesVuError(`Order ${orderId} not found`);
    return order;
  }

  list(storeId?: string): SalesVuOrder[] {
    return structuredClone(this.orders.filter((order) => storeId === undefined || order.store_id === storeId));
  }

  /** Drift (tests, demos: see order-drift.ts): the order is gone, as if never made. False when there is none. */
  forget(orderId: number): boolean {
    const before = this.orders.length;
    this.orders = this.orders.filter((order) => order.order_id !== orderId);
    return this.orders.length < before;
  }

  clear(): void {
    this.orders = [];
  }
}
