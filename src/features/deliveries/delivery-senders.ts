import type { SalesVuClient } from '../../downstream/salesvu/salesvu-client';
import { recordSalesVuSale } from '../../downstream/salesvu/salesvu-sale';
import type { TessituraClient } from '../../downstream/tessitura/tessitura-client';
import { recordTessituraSale } from '../../downstream/tessitura/tessitura-sale';
import type { PartnerMapping } from '../../platform/config';
import { type Acknowledgment, type ClaimedDelivery, idempotencyKey, type SendContext, UndeliverableError } from './delivery';
import { partnerMapping } from './partner-mappings';

export type Sent = { acknowledgment: Acknowledgment; summary: string };
export type DeliverySender = (delivery: ClaimedDelivery, context: SendContext) => Promise<Sent>;

function requireMappings(missing: (string | false)[]): void {
  const named = missing.filter((m): m is string => m !== false);
  if (named.length > 0) throw new UndeliverableError(`Missing mapping: ${named.join('; ')}.`);
}

const saleNote = (delivery: ClaimedDelivery) =>
  `${delivery.payload.partner_id} order ${delivery.payload.order_id} (hold ${delivery.payload.global_id})`;

export function tessituraSender(client: TessituraClient, partners: Record<string, PartnerMapping>): DeliverySender {
  return async (delivery, context) => {
    const { payload, listing } = delivery;
    const partner = partnerMapping(partners, payload.partner_id).tessitura;
    requireMappings([
      !listing.tessitura && `listing '${payload.remote_id}' has no tessitura performance_id, zone_id and price_type`,
      !partner && `partner '${payload.partner_id}' has no Tessitura constituent_id and payment_method_id in PARTNER_MAPPINGS`,
    ]);
    const acknowledgment = await recordTessituraSale(
      client,
      {
        idempotencyKey: idempotencyKey(payload),
        performanceId: listing.tessitura!.performance_id,
        zoneId: listing.tessitura!.zone_id,
        priceType: listing.tessitura!.price_type,
        quantity: payload.quantity,
        constituentId: partner!.constituent_id,
        paymentMethodId: partner!.payment_method_id,
        paymentNotes: saleNote(delivery),
      },
      { progress: delivery.progress, saveProgress: context.saveProgress, signal: context.signal },
    );
    return { acknowledgment, summary: `Tessitura order ${acknowledgment.order_id}` };
  };
}

export function salesVuSender(client: SalesVuClient, partners: Record<string, PartnerMapping>): DeliverySender {
  return async (delivery, context) => {
    const { payload, listing } = delivery;
    const storeId = partnerMapping(partners, payload.partner_id).salesvu?.store_id;
    requireMappings([
      !listing.salesvu && `listing '${payload.remote_id}' has no salesvu product_id`,
      !storeId && `partner '${payload.partner_id}' has no SalesVu store_id in PARTNER_MAPPINGS`,
      storeId !== undefined && !client.hasStore(storeId) && `SalesVu store '${storeId}' has no API key in SALESVU_STORE_KEYS`,
    ]);
    const acknowledgment = await recordSalesVuSale(
      client,
      {
        storeId: storeId as string,
        idempotencyKey: idempotencyKey(payload),
        line: { product_id: listing.salesvu!.product_id, quantity: payload.quantity, selling_price: Number(payload.unit_price.amount) },
        notes: [`Tessitura order ${payload.tessitura_order_id}`, saleNote(delivery)],
      },
      { progress: delivery.progress, saveProgress: context.saveProgress, signal: context.signal },
    );
    return {
      acknowledgment: { ...acknowledgment, tessitura_order_id: payload.tessitura_order_id },
      summary: `SalesVu order ${acknowledgment.order_id}`,
    };
  };
}
