import type { WebhookEndpoint } from './webhook-endpoint-store';

/** An endpoint as the API and the CLI show it: never its secret. */
export const webhookView = (endpoint: WebhookEndpoint) => ({
  id: endpoint.id,
  partner_id: endpoint.partnerId,
  url: endpoint.url,
  events: endpoint.events,
  created_at: endpoint.createdAt,
  deleted_at: endpoint.deletedAt,
});

/** An endpoint just registered: the one time its secret is shown. */
export const createdWebhookView = (endpoint: WebhookEndpoint, secret: string) => {
  const { deleted_at: _deletedAt, ...created } = webhookView(endpoint);
  return { ...created, secret };
};
