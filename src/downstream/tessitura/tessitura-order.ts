import type { OrderProductsView, TessituraClient } from './tessitura-client';

/** A seat of the order as Tessitura assigned it. */
export type TessituraSeat = { section: string; row: string; seat: string; ticket_number: number | null };

/** At most this many of the constituent's recent orders are read when looking for a lost order. */
const MAX_ORDERS_SEARCHED = 50;
/** Allowance for the clocks of the gateway and Tessitura disagreeing. */
const CLOCK_SKEW_MS = 15 * 60_000;

/**
 * The order's notes: the gateway key as a word of its own (`gateway-key=tg-...`), then the marketplace's
 * order, so that staff and reconciliation recognise the order in `GET TXN/Orders/{orderId}/ProductsView`.
 */
export function tessituraOrderNotes(sale: { idempotencyKey: string; partnerId: string; marketplaceOrderId: string; globalId: string }): string {
  return `gateway-key=${sale.idempotencyKey} ${sale.partnerId} order ${sale.marketplaceOrderId} (hold ${sale.globalId})`;
}

/** Whether the notes carry this gateway key (and not merely a longer one that starts with it). */
export function hasGatewayKey(notes: string | undefined, idempotencyKey: string): boolean {
  return (notes ?? '').split(/\s+/).includes(`gateway-key=${idempotencyKey}`);
}

export function seatsOf(order: OrderProductsView): TessituraSeat[] {
  return (order.Products ?? []).flatMap((product) =>
    (product.Performance?.LineItem?.SubLineItems ?? []).map((sub) => ({
      section: sub.Seat?.Section?.Description ?? sub.Seat?.Section?.ShortDescription ?? '',
      row: sub.Seat?.Row ?? '',
      seat: sub.Seat?.Number ?? '',
      ticket_number: sub.TicketNumber ?? null,
    })),
  );
}

/**
 * There is no search by an outside reference, so the constituent's seats sold since `since` name the
 * candidate orders, newest first, and each order's notes are read for the gateway key.
 */
export async function findOrderByNotes(
  client: TessituraClient,
  query: { constituentId: number; since: string; idempotencyKey: string },
  signal: AbortSignal,
): Promise<{ orderId: number; view: OrderProductsView } | undefined> {
  const items = await client.getSubLineItems(
    {
      constituentId: query.constituentId,
      orderStartDate: new Date(Date.parse(query.since) - CLOCK_SKEW_MS).toISOString(),
      orderEndDate: new Date(Date.now() + CLOCK_SKEW_MS).toISOString(),
    },
    signal,
  );
  const orderIds = [...new Set(items.map((item) => item.OrderId).filter((id): id is number => Boolean(id)))]
    .sort((a, b) => b - a)
    .slice(0, MAX_ORDERS_SEARCHED);
  for (const orderId of orderIds) {
    const view = await client.getOrderProductsView(orderId, signal);
    if (hasGatewayKey(view.OrderNotes, query.idempotencyKey)) return { orderId, view };
  }
  return undefined;
}
