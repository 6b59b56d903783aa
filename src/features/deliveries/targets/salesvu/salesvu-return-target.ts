import { SalesVuClient } from '../../../../downstream/salesvu/salesvu-client';
import { recordSalesVuReturn } from '../../../../downstream/salesvu/salesvu-return';
import type { SalesVuAcknowledgment } from '../../../../downstream/salesvu/salesvu-sale';
import { idempotencyKey } from '../../delivery';
import type { DeliveryTarget } from '../delivery-target';
import { guardedByOneBreaker, progressContext, requireMappings, saleNote, saleOf } from '../sale-targets';

/** A cancelled sale's return in SalesVu: an order mirroring the sale's with negative quantities (the adapter's assumption). */
export const salesVuReturnTarget: DeliveryTarget = {
  name: 'salesvu',
  kind: 'return',
  // The sale's acknowledgment: its store and order.
  waitsFor: 'salesvu',
  connect: (runtime) =>
    guardedByOneBreaker('salesvu', runtime, (breaker) => {
      const { downstream } = runtime;
      const client = new SalesVuClient(downstream.salesvu, breaker, downstream.timeoutMs);
      return {
        send: async (delivery, context) => {
          const sale = saleOf(delivery);
          const recorded = delivery.awaited as SalesVuAcknowledgment & { tessitura_order_id?: number };
          requireMappings([!client.hasStore(recorded.store_id) && `SalesVu store '${recorded.store_id}' has no API key in SALESVU_STORE_KEYS`]);
          const acknowledgment = await recordSalesVuReturn(
            client,
            {
              storeId: recorded.store_id,
              idempotencyKey: `${idempotencyKey(sale)}-return`,
              originalOrderId: recorded.order_id,
              notes: [`Tessitura order ${recorded.tessitura_order_id}`, saleNote(sale)],
            },
            progressContext(delivery, context),
          );
          return { acknowledgment, summary: `SalesVu return order ${acknowledgment.order_id} of order ${recorded.order_id}` };
        },
      };
    }),
};
