import { DownstreamError } from '../../downstream/downstream-error';
import type { OrderProductsView, OrderSeat, TessituraClient } from '../../downstream/tessitura/tessitura-client';
import { hasGatewayKey } from '../../downstream/tessitura/tessitura-order';
import type { TessituraAcknowledgment } from '../../downstream/tessitura/tessitura-sale';
import { idempotencyKey } from '../deliveries/delivery';
import type { DeliveryCheck } from './delivery-checks';
import type { DeliveredRecord, Finding } from './reconciliation';

/**
 * How Tessitura shows a returned ticket, by its published schema: `OrderProductViewSubLineItem` has a
 * `StatusId` (whose meanings are the venue's `ReferenceData/SubLineItemStatuses`), and a returned ticket
 * may also leave the order's ProductsView altogether. `returnedStatusIds` names the returned statuses.
 */
export type TessituraReturnRecognition = { returnedStatusIds: ReadonlySet<number> };

export const NO_RETURNED_STATUSES: TessituraReturnRecognition = { returnedStatusIds: new Set() };

type ViewSubLineItem = OrderSeat & { StatusId?: number };

/** The ticket numbers the order still holds sold: its sub line items, less the returned ones. */
export function soldTicketNumbers(view: OrderProductsView, recognition: TessituraReturnRecognition): number[] {
  return (view.Products ?? [])
    .flatMap((product) => (product.Performance?.LineItem?.SubLineItems ?? []) as ViewSubLineItem[])
    .filter((sub) => sub.StatusId === undefined || !recognition.returnedStatusIds.has(sub.StatusId))
    .map((sub) => sub.TicketNumber ?? 0)
    .sort((a, b) => a - b);
}

/** The order's ProductsView, or undefined when Tessitura has no such order (it answers 404). */
export async function productsView(client: TessituraClient, orderId: number, signal: AbortSignal): Promise<OrderProductsView | undefined> {
  try {
    return await client.getOrderProductsView(orderId, signal);
  } catch (err) {
    if (err instanceof DownstreamError && err.status === 404) return undefined;
    throw err;
  }
}

export const missingTessituraOrder = (orderId: number): Finding => ({
  kind: 'missing_order',
  order_id: orderId,
  expected: orderId,
  found: null,
  detail: `Tessitura has no order ${orderId} (ProductsView answered 404).`,
});

function gatewayKeyFinding(record: DeliveredRecord, orderId: number, view: OrderProductsView): Finding | undefined {
  const key = idempotencyKey(record);
  if (hasGatewayKey(view.OrderNotes, key)) return undefined;
  return {
    kind: 'gateway_key_missing',
    order_id: orderId,
    expected: `gateway-key=${key}`,
    found: view.OrderNotes ?? null,
    detail: `Tessitura order ${orderId}'s notes do not carry gateway-key=${key}: it is not the order the gateway recorded for this sale.`,
  };
}

const sameNumbers = (a: number[], b: number[]) => a.length === b.length && a.every((value, index) => value === b[index]);

/**
 * A sale in Tessitura: the acknowledged order is there, carries the sale's gateway key, and holds as many
 * tickets as were sold, with the ticket numbers acknowledged. Once the sale's return was delivered its
 * tickets are the return check's business.
 */
export function tessituraSaleCheck(recognition: TessituraReturnRecognition): DeliveryCheck {
  return async (record, { tessitura, signal }) => {
    const acknowledgment = record.acknowledgment as TessituraAcknowledgment;
    const orderId = acknowledgment.order_id;
    const view = await productsView(tessitura, orderId, signal);
    if (!view) return [missingTessituraOrder(orderId)];
    const findings = [gatewayKeyFinding(record, orderId, view)].filter((finding): finding is Finding => finding !== undefined);
    if (record.returned) return findings;
    const held = soldTicketNumbers(view, recognition);
    const acknowledged = (acknowledgment.seats ?? []).map((seat) => seat.ticket_number ?? 0).sort((a, b) => a - b);
    if (held.length !== record.quantity) {
      findings.push({
        kind: 'quantity_mismatch',
        order_id: orderId,
        expected: record.quantity,
        found: held.length,
        detail: `Tessitura order ${orderId} holds ${held.length} tickets; ${record.quantity} were sold.`,
      });
    } else if (!sameNumbers(held, acknowledged)) {
      findings.push({
        kind: 'tickets_mismatch',
        order_id: orderId,
        expected: acknowledged,
        found: held,
        detail: `Tessitura order ${orderId} holds tickets ${held.join(', ')}; it acknowledged ${acknowledged.join(', ')}.`,
      });
    }
    return findings;
  };
}
