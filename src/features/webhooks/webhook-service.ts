import type { components } from '../../generated/openapi';
import { Problem } from '../../platform/problem';
import { WEBHOOK_EVENT_TYPES } from './webhook-events';
import { LiveEndpointExistsError, type RotatedEndpoint, type WebhookEndpoint, type WebhookEndpointStore } from './webhook-endpoint-store';
import { generateWebhookSecret } from './webhook-secrets';
import { webhookUrlProblem } from './webhook-url';

export type CreateWebhookRequest = components['schemas']['WebhookRequest'];
export type WebhookSecretRotation = components['schemas']['WebhookSecretRotation'];
export type CreatedWebhook = { endpoint: WebhookEndpoint; secret: string };
export type RotatedWebhook = RotatedEndpoint & { secret: string };

/** How long the secret before a rotation still signs requests, unless the rotation says. */
const PREVIOUS_SECRET_DEFAULT_SECONDS = 24 * 60 * 60;

/** How the gateway knows a partner: some key was made for it (the API key store). */
export type PartnerDirectory = { knowsPartner(partnerId: string): Promise<boolean> };

export class WebhookService {
  constructor(
    private readonly endpoints: WebhookEndpointStore,
    private readonly partners: PartnerDirectory,
    private readonly allowPrivateUrls: boolean,
  ) {}

  /** Registers the partner's endpoint with a new secret, returned this once. */
  async create(request: CreateWebhookRequest): Promise<CreatedWebhook> {
    const urlProblem = webhookUrlProblem(request.url, this.allowPrivateUrls);
    if (urlProblem) throw new Problem('webhook_url_refused', `The webhook URL ${urlProblem}.`);
    if (!(await this.partners.knowsPartner(request.partner_id))) {
      throw new Problem('partner_not_found', `No API key was ever made for partner '${request.partner_id}'; create its partner key first.`);
    }
    const secret = generateWebhookSecret();
    const events = request.events ?? [...WEBHOOK_EVENT_TYPES];
    try {
      const endpoint = await this.endpoints.insert({ partnerId: request.partner_id, url: request.url, events, secret });
      return { endpoint, secret };
    } catch (err) {
      if (!(err instanceof LiveEndpointExistsError)) throw err;
      const existing = await this.endpoints.findLiveForPartner(request.partner_id);
      throw new Problem(
        'webhook_exists',
        `Partner '${request.partner_id}' already has a webhook endpoint${existing ? ` (${existing.id})` : ''}; delete it first to register another.`,
        existing ? { webhook_id: existing.id } : {},
      );
    }
  }

  list(): Promise<WebhookEndpoint[]> {
    return this.endpoints.list();
  }

  /** A new secret for a live endpoint, returned this once; the one it replaces still signs for a while (see the spec). */
  async rotateSecret(id: string, rotation: WebhookSecretRotation = {}): Promise<RotatedWebhook> {
    const secret = generateWebhookSecret();
    const rotated = await this.endpoints.rotateSecret(id, secret, rotation.previous_secret_valid_for_seconds ?? PREVIOUS_SECRET_DEFAULT_SECONDS);
    if (rotated) return { ...rotated, secret };
    if (await this.endpoints.find(id)) {
      throw new Problem('webhook_deleted', `Webhook endpoint ${id} was deleted; register another for the partner instead.`);
    }
    throw new Problem('webhook_not_found', `No webhook endpoint has id ${id}.`);
  }

  /** Deletes the endpoint (deleting it again answers the same); events stop going to it at once. */
  async delete(id: string): Promise<WebhookEndpoint> {
    const deleted = await this.endpoints.softDelete(id);
    if (!deleted) throw new Problem('webhook_not_found', `No webhook endpoint has id ${id}.`);
    return deleted;
  }
}
