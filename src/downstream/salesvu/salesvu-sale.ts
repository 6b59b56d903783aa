import type { SalesVuClient, SalesVuOrderLine } from './salesvu-client';

export type SalesVuSale = { storeId: string; idempotencyKey: string; line: Omit<SalesVuOrderLine, 'notes'>; notes: string[] };

/** What the delivery keeps between attempts. */
export type SalesVuProgress = { order_id?: number; create_attempted_at?: string };

export type SalesVuAcknowledgment = { order_id: number; store_id: string };

export type SalesVuSaleContext = {
  progress: SalesVuProgress;
  saveProgress(progress: SalesVuProgress): Promise<void>;
  signal: AbortSignal;
};

/** The note that carries the gateway's idempotency key on a SalesVu order. */
export const keyNote = (idempotencyKey: string) => `gateway-key:${idempotencyKey}`;

/**
 * Records a sale in SalesVu: create the order (its notes carry the idempotency key and Tessitura's
 * order id), then complete it. The order id is saved as soon as it is known; if the answer to a create
 * was lost, the store's orders are searched for the key before creating again.
 */
export async function recordSalesVuSale(client: SalesVuClient, sale: SalesVuSale, context: SalesVuSaleContext): Promise<SalesVuAcknowledgment> {
  const { signal } = context;
  let orderId = context.progress.order_id;
  if (orderId === undefined && context.progress.create_attempted_at) {
    orderId = (await client.findOrderWithNote(sale.storeId, keyNote(sale.idempotencyKey), signal))?.order_id;
  }
  const created = orderId === undefined;
  if (orderId === undefined) {
    await context.saveProgress({ create_attempted_at: new Date().toISOString() });
    const notes = [keyNote(sale.idempotencyKey), ...sale.notes].map((comment) => ({ comment }));
    orderId = await client.createOrder(sale.storeId, [{ ...sale.line, notes }], signal);
  }
  await context.saveProgress({ order_id: orderId });
  // An order created just now is open; one found again may have been completed by an earlier attempt.
  const completed = !created && (await client.getOrder(sale.storeId, orderId, signal)).order_status === 'completed';
  if (!completed) await client.completeOrder(sale.storeId, orderId, signal);
  return { order_id: orderId, store_id: sale.storeId };
}

/**
 * For a sale cancelled after an attempt began: the order an earlier attempt created (completed, so that
 * its return balances it), or undefined when none was.
 */
export async function findRecordedSalesVuSale(client: SalesVuClient, sale: SalesVuSale, context: SalesVuSaleContext): Promise<SalesVuAcknowledgment | undefined> {
  const { progress, signal } = context;
  const orderId = progress.order_id ?? (progress.create_attempted_at ? (await client.findOrderWithNote(sale.storeId, keyNote(sale.idempotencyKey), signal))?.order_id : undefined);
  if (orderId === undefined) return undefined;
  return recordSalesVuSale(client, sale, { ...context, progress: { order_id: orderId } });
}
