import { DownstreamError } from '../../downstream/downstream-error';
import type { SalesVuClient, SalesVuOrder } from '../../downstream/salesvu/salesvu-client';
import { keyNote, type SalesVuAcknowledgment } from '../../downstream/salesvu/salesvu-sale';
import { idempotencyKey } from '../deliveries/delivery';
import type { DeliveryCheck } from './delivery-checks';
import { type DeliveredRecord, type Finding, NotCheckableError } from './reconciliation';

export type SalesVuSaleAcknowledgment = SalesVuAcknowledgment & { tessitura_order_id?: number };

/** The note the gateway writes on a SalesVu order naming Tessitura's order. */
const TESSITURA_NOTE = /^Tessitura order (\S+)$/;

/**
 * SalesVu refuses with HTTP 200 and `status: "error"`; an order it does not know is a refusal saying so
 * (`Order 5003 not found`). Other refusals (a wrong API key) mean it cannot be asked, not that orders are gone.
 */
const isOrderNotFound = (err: unknown) => err instanceof DownstreamError && err.permanent && /not found/i.test(err.message);

/** The store's order, or undefined when SalesVu has no such order. */
export async function salesVuOrder(client: SalesVuClient, storeId: string, orderId: number, signal: AbortSignal): Promise<SalesVuOrder | undefined> {
  if (!client.hasStore(storeId)) throw new NotCheckableError('not_configured', `SALESVU_STORE_KEYS has no API key for SalesVu store '${storeId}'.`);
  try {
    return await client.getOrder(storeId, orderId, signal);
  } catch (err) {
    if (isOrderNotFound(err)) return undefined;
    throw err;
  }
}

export const notesOf = (order: SalesVuOrder): string[] =>
  [...(order.notes ?? []), ...(order.order_details ?? []).flatMap((line) => line.notes ?? [])].map((note) => note.comment ?? '');

/** The tickets an order holds: its lines' quantities (negative for a return's order). */
export const quantityOf = (order: SalesVuOrder) =>
  ((order.order_details ?? []) as { quantity?: number }[]).reduce((sum, line) => sum + (line.quantity ?? 0), 0);

/**
 * SalesVu keeps the sale's Tessitura order in a note (`Tessitura order <id>`), and the gateway kept it in
 * the delivery's acknowledgment: both must name the order Tessitura acknowledged for the sale.
 */
function tessituraOrderFinding(record: DeliveredRecord, acknowledgment: SalesVuSaleAcknowledgment, order: SalesVuOrder): Finding | undefined {
  const expected = record.tessitura_acknowledgment?.order_id as number | undefined;
  if (expected === undefined) return undefined;
  const mismatch = (found: unknown, detail: string): Finding => ({ kind: 'tessitura_order_mismatch', order_id: order.order_id, expected, found, detail });
  const noted = notesOf(order).flatMap((comment) => TESSITURA_NOTE.exec(comment)?.[1] ?? []);
  if (noted.length !== 1 || Number(noted[0]) !== expected) {
    const named = noted.length === 0 ? 'no Tessitura order' : `Tessitura order ${noted.join(', ')}`;
    return mismatch(noted.length === 0 ? null : noted.map(Number), `SalesVu order ${order.order_id} names ${named}; the sale's Tessitura order is ${expected}.`);
  }
  if (acknowledgment.tessitura_order_id !== expected) {
    return mismatch(
      acknowledgment.tessitura_order_id ?? null,
      `The SalesVu delivery was acknowledged with Tessitura order ${acknowledgment.tessitura_order_id}; the sale's Tessitura order is ${expected}.`,
    );
  }
  return undefined;
}

/**
 * A sale in SalesVu: the acknowledged order is there, carries the sale's gateway key and the sale's
 * Tessitura order, holds as many tickets as were sold and is completed. Once the sale's return was
 * delivered, its quantity and status are the return check's business.
 */
export const salesVuSaleCheck: DeliveryCheck = async (record, { salesvu, signal }) => {
  const acknowledgment = record.acknowledgment as SalesVuSaleAcknowledgment;
  const orderId = acknowledgment.order_id;
  const order = await salesVuOrder(salesvu, acknowledgment.store_id, orderId, signal);
  if (!order) {
    return [{ kind: 'missing_order', order_id: orderId, expected: orderId, found: null, detail: `SalesVu store ${acknowledgment.store_id} has no order ${orderId}.` }];
  }
  const findings: Finding[] = [];
  const key = keyNote(idempotencyKey(record));
  if (!notesOf(order).includes(key)) {
    findings.push({
      kind: 'gateway_key_missing',
      order_id: orderId,
      expected: key,
      found: notesOf(order),
      detail: `SalesVu order ${orderId} has no note ${key}: it is not the order the gateway recorded for this sale.`,
    });
  }
  const tessituraOrder = tessituraOrderFinding(record, acknowledgment, order);
  if (tessituraOrder) findings.push(tessituraOrder);
  if (record.returned) return findings;
  const quantity = quantityOf(order);
  if (quantity !== record.quantity) {
    findings.push({
      kind: 'quantity_mismatch',
      order_id: orderId,
      expected: record.quantity,
      found: quantity,
      detail: `SalesVu order ${orderId} holds ${quantity} tickets; ${record.quantity} were sold.`,
    });
  }
  if (order.order_status !== 'completed') {
    findings.push({
      kind: 'order_not_completed',
      order_id: orderId,
      expected: 'completed',
      found: order.order_status,
      detail: `SalesVu order ${orderId} is ${order.order_status}, not completed.`,
    });
  }
  return findings;
};
