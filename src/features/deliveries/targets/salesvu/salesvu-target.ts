import { SalesVuClient } from '../../../../downstream/salesvu/salesvu-client';
import { findRecordedSalesVuSale, recordSalesVuSale, type SalesVuAcknowledgment, type SalesVuSale } from '../../../../downstream/salesvu/salesvu-sale';
import type { PartnerMapping } from '../../../../platform/config';
import { type ClaimedDelivery, idempotencyKey } from '../../delivery';
import { partnerMapping } from '../../partner-mappings';
import type { DeliveryTarget, Sent } from '../delivery-target';
import { guardedByOneBreaker, progressContext, requireMappings, saleFailed, saleNote, saleOf } from '../sale-targets';

/** Tessitura's order id, from its acknowledgment: what SalesVu keeps with the sale. */
const tessituraOrderIdOf = (delivery: ClaimedDelivery) => delivery.awaited?.order_id;

/** The sale in SalesVu's terms, once the listing's and the partner's mappings are known to be there. */
function salesVuSale(client: SalesVuClient, delivery: ClaimedDelivery, partners: Record<string, PartnerMapping>): SalesVuSale {
  const { listing } = delivery;
  const sale = saleOf(delivery);
  const storeId = partnerMapping(partners, sale.partner_id).salesvu?.store_id;
  requireMappings([
    !listing.salesvu && `listing '${sale.remote_id}' has no salesvu product_id`,
    !storeId && `partner '${sale.partner_id}' has no SalesVu store_id in PARTNER_MAPPINGS`,
    storeId !== undefined && !client.hasStore(storeId) && `SalesVu store '${storeId}' has no API key in SALESVU_STORE_KEYS`,
  ]);
  return {
    storeId: storeId as string,
    idempotencyKey: idempotencyKey(sale),
    line: { product_id: listing.salesvu!.product_id, quantity: sale.quantity, selling_price: Number(sale.unit_price.amount) },
    notes: [`Tessitura order ${tessituraOrderIdOf(delivery)}`, saleNote(sale)],
  };
}

const sent = (delivery: ClaimedDelivery, acknowledgment: SalesVuAcknowledgment): Sent => ({
  acknowledgment: { ...acknowledgment, tessitura_order_id: tessituraOrderIdOf(delivery) },
  summary: `SalesVu order ${acknowledgment.order_id}`,
});

/** The venue's point of sale, which records each sale once Tessitura has (it keeps Tessitura's order id). */
export const salesVuTarget: DeliveryTarget = {
  name: 'salesvu',
  kind: 'sale',
  waitsFor: 'tessitura',
  whenDead: saleFailed,
  connect: (runtime) =>
    guardedByOneBreaker('salesvu', runtime, (breaker) => {
      const { downstream } = runtime;
      const client = new SalesVuClient(downstream.salesvu, breaker, downstream.timeoutMs);
      const saleContext = progressContext;
      return {
        send: async (delivery, context) => sent(delivery, await recordSalesVuSale(client, salesVuSale(client, delivery, downstream.partners), saleContext(delivery, context))),
        findRecorded: async (delivery, context) => {
          const recorded = await findRecordedSalesVuSale(client, salesVuSale(client, delivery, downstream.partners), saleContext(delivery, context));
          return recorded && sent(delivery, recorded);
        },
      };
    }),
};
