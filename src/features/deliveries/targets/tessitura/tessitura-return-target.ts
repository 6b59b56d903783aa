import { TessituraClient } from '../../../../downstream/tessitura/tessitura-client';
import { recordTessituraReturn, type TessituraReturnAcknowledgment, tessituraReturnNotes } from '../../../../downstream/tessitura/tessitura-return';
import type { TessituraAcknowledgment } from '../../../../downstream/tessitura/tessitura-sale';
import { idempotencyKey, UndeliverableError } from '../../delivery';
import { partnerMapping } from '../../partner-mappings';
import type { DeliveryTarget } from '../delivery-target';
import { guardedByOneBreaker, progressContext, requireMappings, saleNote, saleOf } from '../sale-targets';

/** A cancelled sale's return in Tessitura: its tickets returned on the sale's own order, by ticket number. */
export const tessituraReturnTarget: DeliveryTarget = {
  name: 'tessitura',
  kind: 'return',
  // The sale's acknowledgment: its order and the ticket numbers to return.
  waitsFor: 'tessitura',
  progressAfterRetry: ({ checkout_attempted_at: _checkoutAttemptedAt, ...progress }) => progress,
  whenDelivered: (delivery, acknowledgment) => {
    const sale = saleOf(delivery);
    const { order_id, returned_ticket_numbers } = acknowledgment as TessituraReturnAcknowledgment;
    return { type: 'sale.cancelled', data: { global_id: sale.global_id, order_id: sale.order_id, tessitura_order_id: order_id, returned_ticket_numbers } };
  },
  connect: (runtime) =>
    guardedByOneBreaker('tessitura', runtime, (breaker) => {
      const { downstream } = runtime;
      const client = new TessituraClient(downstream.tessitura, breaker, downstream.timeoutMs);
      return {
        send: async (delivery, context) => {
          const sale = saleOf(delivery);
          const recorded = delivery.awaited as TessituraAcknowledgment;
          const partner = partnerMapping(downstream.partners, sale.partner_id).tessitura;
          requireMappings([!partner && `partner '${sale.partner_id}' has no Tessitura mode_of_sale_id, source_id and payment_method_id in PARTNER_MAPPINGS`]);
          const ticketNumbers = recorded.seats.map((seat) => seat.ticket_number);
          if (ticketNumbers.some((number) => number === null)) {
            throw new UndeliverableError(`Tessitura gave no ticket number for some seats of order ${recorded.order_id}: return them at the box office.`);
          }
          const key = `${idempotencyKey(sale)}-return`;
          const acknowledgment = await recordTessituraReturn(
            client,
            {
              idempotencyKey: key,
              orderId: recorded.order_id,
              ticketNumbers: ticketNumbers as number[],
              modeOfSaleId: partner!.mode_of_sale_id,
              sourceId: partner!.source_id,
              paymentMethodId: partner!.return_payment_method_id ?? partner!.payment_method_id,
              paymentNotes: `return: ${saleNote(sale)}`,
              notes: tessituraReturnNotes({ idempotencyKey: key, partnerId: sale.partner_id, marketplaceOrderId: sale.order_id, globalId: sale.global_id }),
            },
            progressContext(delivery, context),
          );
          return { acknowledgment, summary: `Tessitura order ${acknowledgment.order_id}: ${acknowledgment.returned_ticket_numbers.length} tickets returned` };
        },
      };
    }),
};
