import type { components } from '../../generated/openapi';
import type { DownstreamTarget } from '../../downstream/downstream-error';

export type Delivery = components['schemas']['Delivery'];
export type DeliveryStatus = components['schemas']['DeliveryStatus'];

/** The sale as the invoice recorded it: the snapshot every delivery sends. */
export type SalePayload = {
  global_id: string;
  order_id: string;
  partner_id: string;
  remote_id: string;
  quantity: number;
  event: { id: string; name: string; venue: string; occurs_at: string };
  section: string;
  row: string;
  seats: string[] | null;
  unit_price: { amount: string; currency: string };
  customer: Record<string, string> | null;
  invoiced_at: string;
  /** Set on the SalesVu delivery once Tessitura acknowledged the sale. */
  tessitura_order_id?: number;
};

/** Where the listing lives downstream, read from the listing when the delivery is sent. */
export type ListingMapping = {
  tessitura: { performance_id: number; zone_id: number; price_type: number } | null;
  salesvu: { product_id: string } | null;
};

/** A delivery claimed by a dispatcher, with what its sender needs. */
export type ClaimedDelivery = {
  id: number;
  target: DownstreamTarget;
  attempts: number;
  payload: SalePayload;
  progress: Record<string, unknown>;
  listing: ListingMapping;
  leaseToken: string;
};

/** What a target's sender needs besides the delivery: a way to persist progress before risky steps. */
export type SendContext = {
  saveProgress(progress: Record<string, unknown>): Promise<void>;
  signal: AbortSignal;
};

export type Acknowledgment = Record<string, unknown>;

/** The gateway's idempotency key for a sale, the same for every target and every attempt. */
export const idempotencyKey = (payload: SalePayload): string => `tg-${payload.global_id}`;

/** The delivery cannot be sent as it stands (a mapping is missing): retrying will not help until someone fixes it. */
export class UndeliverableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndeliverableError';
  }
}
