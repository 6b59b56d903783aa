import type { SalesVuOperation } from './operations';
import type { OrderDetail, OrderStore } from './order-store';
import { SalesVuError } from './salesvu-error';

/** The parsed `request` JSON of a call (already authenticated for `store_id`). */
export type SalesVuRequest = Record<string, unknown>;

type Action = (orders: OrderStore, storeId: string, request: SalesVuRequest) => Record<string, unknown>;

export const SALESVU_ACTIONS: Record<SalesVuOperation, Action> = {
  create_order: (orders, storeId, request) => {
    const order = orders.create(storeId, orderDetails(request.order_details));
    return { status: 'ok', order_id: order.order_id };
  },
  complete_order: (orders, storeId, request) => {
    const order = orders.complete(storeId, orderId(request));
    return { status: 'ok', order_id: order.order_id, order_status: order.order_status };
  },
  get_order: (orders, storeId, request) => ({ status: 'ok', order: orders.find(storeId, orderId(request)) }),
  add_order_note: (orders, storeId, request) => {
    const id = orderId(request);
    const note = orders.addNote(storeId, id, nonEmptyString(request.comment, 'comment'));
    return { status: 'ok', order_id: id, note_id: note.note_id };
  },
  get_store_order: (orders, storeId, request) => {
    const status = request.order_status;
    if (status !== undefined && status !== 'open' && status !== 'completed') {
      throw new SalesVuError('order_status must be "open" or "completed"');
    }
    const list = orders.list(storeId).filter((order) => status === undefined || order.order_status === status);
    return { status: 'ok', orders: list };
  },
};

/** PHP clients send ids as numbers or numeric strings alike. */
function orderId(request: SalesVuRequest): number {
  const id = typeof request.order_id === 'string' ? Number(request.order_id) : request.order_id;
  if (!Number.isInteger(id) || (id as number) < 1) throw new SalesVuError('order_id is required');
  return id as number;
}

function orderDetails(value: unknown): OrderDetail[] {
  if (!Array.isArray(value) || value.length === 0) throw new SalesVuError('order_details must be a non-empty array');
  return value.map((detail: Record<string, unknown>, index) => {
    const field = (name: string) => `order_details[${index}].${name}`;
    if (!isId(detail.product_id)) throw new SalesVuError(`${field('product_id')} is required`);
    if (detail.unit_id !== undefined && !isId(detail.unit_id)) throw new SalesVuError(`${field('unit_id')} is invalid`);
    // A negative quantity gives items back: how the gateway's adapter records a return (an assumption; see docs/simulators.md).
    if (typeof detail.quantity !== 'number' || !Number.isFinite(detail.quantity) || detail.quantity === 0) {
      throw new SalesVuError(`${field('quantity')} must be a number other than 0`);
    }
    if (typeof detail.selling_price !== 'number' || !(detail.selling_price >= 0)) {
      throw new SalesVuError(`${field('selling_price')} must be a non-negative number`);
    }
    return {
      product_id: detail.product_id,
      unit_id: detail.unit_id ?? null,
      quantity: detail.quantity,
      selling_price: detail.selling_price,
      notes: notes(detail.notes, field('notes')),
    };
  });
}

function notes(value: unknown, name: string): { comment: string }[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new SalesVuError(`${name} must be an array of { comment }`);
  return value.map((note: { comment?: unknown }) => ({ comment: nonEmptyString(note?.comment, `${name}[].comment`) }));
}

function isId(value: unknown): value is string | number {
  return (typeof value === 'string' && value.length > 0) || (Number.isInteger(value) && (value as number) > 0);
}

function nonEmptyString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new SalesVuError(`${name} must be a non-empty string`);
  return value;
}
