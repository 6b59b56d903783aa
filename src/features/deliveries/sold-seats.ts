import type { components } from '../../generated/openapi';
import type { TessituraAcknowledgment } from '../../downstream/tessitura/tessitura-sale';
import type { Delivery } from './delivery';

export type SoldSeat = components['schemas']['SoldSeat'];

/** The seats Tessitura assigned to the sale, from its acknowledgment; undefined until Tessitura recorded it. */
export function soldSeats(deliveries: Delivery[]): SoldSeat[] | undefined {
  const recorded = deliveries.find((delivery) => delivery.target === 'tessitura' && delivery.status === 'delivered');
  const acknowledgment = recorded?.acknowledgment as Partial<TessituraAcknowledgment> | null | undefined;
  return acknowledgment?.seats;
}
