import { DownstreamError } from '../downstream-error';
import type { SalesVuClient, SalesVuOrder, SalesVuOrderLine } from './salesvu-client';
import { keyNote } from './salesvu-sale';

/**
 * SalesVu shows no refund or void action in public code, so how a return is recorded is this adapter's
 * assumption, kept in this file: **a return is an order of its own that mirrors the original order's lines
 * with negative quantities** (same products and unit prices, so its total is the original's, negated),
 * created and then completed like a sale. Its first line's notes carry the return's gateway key
 * (`gateway-key:tg-<global_id>-return`) and name the original order (`return of SalesVu order <id>`); the
 * original order is left as it was.
 */
export type SalesVuReturn = {
  storeId: string;
  /** `tg-<global_id>-return`: how a return whose create answer was lost is found again. */
  idempotencyKey: string;
  /** The sale's SalesVu order (its acknowledgment's `order_id`), whose lines are mirrored. */
  originalOrderId: number;
  /** More notes for the return's first line (Tessitura's order, the marketplace's order). */
  notes: string[];
};

/** What the delivery keeps between attempts. */
export type SalesVuReturnProgress = { order_id?: number; create_attempted_at?: string };

/** `order_id` is the return's own SalesVu order; `total` is its total (negative). */
export type SalesVuReturnAcknowledgment = { order_id: number; store_id: string; original_order_id: number; total: number };

export type SalesVuReturnContext = {
  progress: SalesVuReturnProgress;
  saveProgress(progress: SalesVuReturnProgress): Promise<void>;
  signal: AbortSignal;
};

/** The note naming the order a return gives back. */
export const returnOfNote = (originalOrderId: number) => `return of SalesVu order ${originalOrderId}`;

/** The fields of an original line that its return mirrors, as `get_order` shows them. */
type OrderedLine = { product_id?: string | number; quantity?: number; selling_price?: number };

/**
 * Records the return of a SalesVu sale (see `SalesVuReturn` for the assumption): the original order is read,
 * the return order created with its lines negated, then completed. The attempt is saved before the create and
 * the return's order id as soon as it is known; if the answer to a create was lost, the store's orders are
 * searched for the return's key note before creating again, so a sale is never returned twice.
 */
export async function recordSalesVuReturn(client: SalesVuClient, ret: SalesVuReturn, context: SalesVuReturnContext): Promise<SalesVuReturnAcknowledgment> {
  const { signal } = context;
  let orderId = context.progress.order_id;
  if (orderId === undefined && context.progress.create_attempted_at) {
    orderId = (await client.findOrderWithNote(ret.storeId, keyNote(ret.idempotencyKey), signal))?.order_id;
  }
  if (orderId === undefined) {
    const lines = returnLines(ret, await client.getOrder(ret.storeId, ret.originalOrderId, signal));
    await context.saveProgress({ create_attempted_at: new Date().toISOString() });
    const created = await client.createOrder(ret.storeId, lines, signal);
    await context.saveProgress({ order_id: created });
    await client.completeOrder(ret.storeId, created, signal);
    return acknowledgment(ret, created, lines.reduce((sum, line) => sum + Math.round(line.quantity * line.selling_price * 100), 0) / 100);
  }
  await context.saveProgress({ order_id: orderId });
  // Found again: an earlier attempt may have completed it already.
  const order: SalesVuOrder & { total?: number } = await client.getOrder(ret.storeId, orderId, signal);
  if (order.order_status !== 'completed') await client.completeOrder(ret.storeId, orderId, signal);
  return acknowledgment(ret, orderId, Number(order.total ?? 0));
}

const acknowledgment = (ret: SalesVuReturn, orderId: number, total: number): SalesVuReturnAcknowledgment => ({
  order_id: orderId,
  store_id: ret.storeId,
  original_order_id: ret.originalOrderId,
  total,
});

/** The original order's lines, negated; the first carries the notes. */
function returnLines(ret: SalesVuReturn, original: SalesVuOrder): SalesVuOrderLine[] {
  const ordered = (original.order_details ?? []) as OrderedLine[];
  const lines = ordered.filter((line) => line.product_id !== undefined && typeof line.quantity === 'number' && line.quantity > 0);
  if (lines.length === 0) {
    throw new DownstreamError('salesvu', `SalesVu order ${ret.originalOrderId} has no line to return`, { permanent: true });
  }
  const notes = [keyNote(ret.idempotencyKey), returnOfNote(ret.originalOrderId), ...ret.notes].map((comment) => ({ comment }));
  return lines.map((line, index) => ({
    product_id: String(line.product_id),
    quantity: -(line.quantity as number),
    selling_price: Number(line.selling_price ?? 0),
    notes: index === 0 ? notes : [],
  }));
}
