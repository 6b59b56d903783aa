import type { WebhookEndpoint } from './webhook-endpoint-store';
import type { RotatedWebhook } from './webhook-service';

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

/** An endpoint whose secret was just rotated: the one time the new secret is shown. */
export const rotatedWebhookView = ({ endpoint, secret, previousSecretExpiresAt }: RotatedWebhook) => ({
  ...createdWebhookView(endpoint, secret),
  previous_secret_expires_at: previousSecretExpiresAt,
});
