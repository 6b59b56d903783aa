import type { components } from '../../generated/openapi';

export type Delivery = components['schemas']['Delivery'];
export type DeliveryStatus = components['schemas']['DeliveryStatus'];

/** The sale as the invoice recorded it (the listing as it was when sold): what every sale delivery sends. */
export type Sale = {
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
};

/** A fact a partner is told of, as recorded: its id (the same for every delivery and retry), type, time and data. */
export type RecordedPartnerEvent = { id: string; type: string; created_at: string; data: Record<string, unknown> };

/** Where the listing lives downstream, read from the listing when the delivery is sent. */
export type ListingMapping = {
  tessitura: { performance_id: number; zone_id: number; price_type: number } | null;
  salesvu: { product_id: string } | null;
};

/** What a target keeps between attempts, so that a retry resumes instead of repeating. */
export type Progress = Record<string, unknown>;

/** A delivery claimed by a dispatcher, with what its target needs to send it. */
export type ClaimedDelivery = {
  id: number;
  target: string;
  kind: Delivery['kind'];
  /** A sale delivery whose sale was cancelled: it is not sent, only found out (recorded or not). */
  withdrawn: boolean;
  global_id: string;
  attempts: number;
  /** The invoiced sale; null for a delivery that is not a sale's (a partner event's). */
  sale: Sale | null;
  /** The partner event a delivery tells of; null for a sale's. */
  partnerEvent: RecordedPartnerEvent | null;
  /** What the target queued beside the event (a webhook delivery: its endpoint); null for a sale's. */
  payload: unknown;
  progress: Progress;
  listing: ListingMapping;
  /** The acknowledgment of the delivery this one waited for (SalesVu's: Tessitura's), if any. */
  awaited: Acknowledgment | null;
  leaseToken: string;
};

/** What a target's sender needs besides the delivery: a way to persist progress before risky steps. */
export type SendContext = {
  saveProgress(progress: Progress): Promise<void>;
  signal: AbortSignal;
};

export type Acknowledgment = Record<string, unknown>;

/** The gateway's idempotency key for a sale, the same for every target and every attempt. */
export const idempotencyKey = (sale: Pick<Sale, 'global_id'>): string => `tg-${sale.global_id}`;

/** The delivery cannot be sent as it stands (a mapping is missing): retrying will not help until someone fixes it. */
export class UndeliverableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndeliverableError';
  }
}
