/** What a partner can subscribe to (design 5b); an endpoint registered without `events` gets them all. */
export const WEBHOOK_EVENT_TYPES = ['hold.expired', 'sale.recorded', 'sale.failed', 'sale.cancelled'] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
