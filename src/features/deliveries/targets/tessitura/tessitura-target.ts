import { TessituraClient } from '../../../../downstream/tessitura/tessitura-client';
import { tessituraOrderNotes } from '../../../../downstream/tessitura/tessitura-order';
import {
  findRecordedTessituraSale,
  recordTessituraSale,
  type TessituraAcknowledgment,
  type TessituraSale,
  type TessituraSaleContext,
} from '../../../../downstream/tessitura/tessitura-sale';
import type { PartnerMapping } from '../../../../platform/config';
import { type ClaimedDelivery, idempotencyKey, type SendContext } from '../../delivery';
import { partnerMapping } from '../../partner-mappings';
import type { DeliveryTarget, Sent } from '../delivery-target';
import { guardedByOneBreaker, progressContext, requireMappings, saleFailed, saleNote, saleOf } from '../sale-targets';

/** The sale in Tessitura's terms, once the listing's and the partner's mappings are known to be there. */
function tessituraSale(delivery: ClaimedDelivery, partners: Record<string, PartnerMapping>): TessituraSale {
  const { listing } = delivery;
  const sale = saleOf(delivery);
  const partner = partnerMapping(partners, sale.partner_id).tessitura;
  requireMappings([
    !listing.tessitura && `listing '${sale.remote_id}' has no tessitura performance_id, zone_id and price_type`,
    !partner && `partner '${sale.partner_id}' has no Tessitura constituent_id, payment_method_id, mode_of_sale_id and source_id in PARTNER_MAPPINGS`,
  ]);
  const key = idempotencyKey(sale);
  return {
    idempotencyKey: key,
    performanceId: listing.tessitura!.performance_id,
    zoneId: listing.tessitura!.zone_id,
    priceType: listing.tessitura!.price_type,
    quantity: sale.quantity,
    constituentId: partner!.constituent_id,
    paymentMethodId: partner!.payment_method_id,
    modeOfSaleId: partner!.mode_of_sale_id,
    sourceId: partner!.source_id,
    paymentNotes: saleNote(sale),
    orderNotes: tessituraOrderNotes({ idempotencyKey: key, partnerId: sale.partner_id, marketplaceOrderId: sale.order_id, globalId: sale.global_id }),
  };
}

const saleContext = (delivery: ClaimedDelivery, context: SendContext): TessituraSaleContext => progressContext(delivery, context);

const sent = (acknowledgment: TessituraAcknowledgment): Sent => ({ acknowledgment, summary: `Tessitura order ${acknowledgment.order_id}` });

/** The venue's ticketing CRM, where every sale is recorded first. */
export const tessituraTarget: DeliveryTarget = {
  name: 'tessitura',
  kind: 'sale',
  // The checkout's moment says whether to look for the order before checking out again; after a staff
  // retry the cart is read afresh instead.
  progressAfterRetry: ({ checkout_attempted_at: _checkoutAttemptedAt, ...progress }) => progress,
  whenDelivered: (delivery, acknowledgment) => {
    const { order_id, seats } = acknowledgment as TessituraAcknowledgment;
    const sale = saleOf(delivery);
    return { type: 'sale.recorded', data: { global_id: sale.global_id, order_id: sale.order_id, tessitura_order_id: order_id, seats } };
  },
  whenDead: saleFailed,
  whenWithdrawn: (sale) => ({ type: 'sale.cancelled', data: { global_id: sale.global_id, order_id: sale.order_id, tessitura_order_id: null, returned_ticket_numbers: [] } }),
  connect: (runtime) =>
    guardedByOneBreaker('tessitura', runtime, (breaker) => {
      const { downstream } = runtime;
      const client = new TessituraClient(downstream.tessitura, breaker, downstream.timeoutMs);
      return {
        send: async (delivery, context) =>
          sent(await recordTessituraSale(client, tessituraSale(delivery, downstream.partners), saleContext(delivery, context))),
        findRecorded: async (delivery, context) => {
          const recorded = await findRecordedTessituraSale(client, tessituraSale(delivery, downstream.partners), saleContext(delivery, context));
          return recorded && sent(recorded);
        },
      };
    }),
};
