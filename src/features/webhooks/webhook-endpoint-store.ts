import type { Knex } from 'knex';
import type { WebhookEventType } from './webhook-events';
import { decryptWebhookSecret, encryptWebhookSecret } from './webhook-secrets';

const TABLE = 'webhook_endpoints';
/** The partial unique index that keeps one live endpoint per partner. */
const ONE_LIVE_PER_PARTNER = 'webhook_endpoints_one_live_per_partner';

/** An endpoint as the API shows it: never its secret. */
export type WebhookEndpoint = {
  id: string;
  partnerId: string;
  url: string;
  events: WebhookEventType[];
  createdAt: Date;
  deletedAt: Date | null;
};

/**
 * What the delivery side needs to send to an endpoint: its secrets in clear (the current one, then the one
 * before its last rotation while that is still honoured), and whether it was deleted since.
 */
export type WebhookEndpointForDelivery = {
  id: string;
  partner_id: string;
  url: string;
  events: WebhookEventType[];
  secrets: string[];
  deleted: boolean;
};

/** An endpoint after its secret was rotated: until when the secret before is still signed with (null: not at all). */
export type RotatedEndpoint = { endpoint: WebhookEndpoint; previousSecretExpiresAt: Date | null };

type WebhookEndpointRow = {
  id: string;
  partner_id: string;
  url: string;
  events: WebhookEventType[];
  secret_ciphertext: string;
  previous_secret_ciphertext: string | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  deleted_at: Date | null;
};

/** Every column but the secrets': what the API's reads take. */
type PublicRow = Omit<WebhookEndpointRow, 'secret_ciphertext' | 'previous_secret_ciphertext' | 'previous_secret_expires_at'>;
const PUBLIC_COLUMNS = ['id', 'partner_id', 'url', 'events', 'created_at', 'deleted_at'];

const toEndpoint = (row: PublicRow): WebhookEndpoint => ({
  id: row.id,
  partnerId: row.partner_id,
  url: row.url,
  events: row.events,
  createdAt: row.created_at,
  deletedAt: row.deleted_at,
});

export type NewWebhookEndpoint = { partnerId: string; url: string; events: WebhookEventType[]; secret: string };

/** A partner already has a live endpoint. */
export class LiveEndpointExistsError extends Error {}

/**
 * Webhook endpoints. Secrets go in encrypted with the key it was built with and come out only through
 * `findForDelivery`; every other read leaves the ciphertext in the database.
 */
export class WebhookEndpointStore {
  constructor(
    private readonly db: Knex,
    private readonly secretKey: Buffer,
  ) {}

  async insert(endpoint: NewWebhookEndpoint): Promise<WebhookEndpoint> {
    try {
      const [row] = await this.db<WebhookEndpointRow>(TABLE)
        .insert({
          partner_id: endpoint.partnerId,
          url: endpoint.url,
          events: endpoint.events,
          secret_ciphertext: encryptWebhookSecret(endpoint.secret, this.secretKey),
        })
        .returning(PUBLIC_COLUMNS);
      return toEndpoint(row as WebhookEndpointRow);
    } catch (err) {
      const violation = err as { code?: string; constraint?: string };
      if (violation.code === '23505' && violation.constraint === ONE_LIVE_PER_PARTNER) throw new LiveEndpointExistsError();
      throw err;
    }
  }

  /** Every endpoint, newest first, deleted ones included. */
  async list(): Promise<WebhookEndpoint[]> {
    const rows = await this.db<WebhookEndpointRow>(TABLE).select<PublicRow[]>(PUBLIC_COLUMNS).orderBy([{ column: 'created_at', order: 'desc' }, 'id']);
    return rows.map(toEndpoint);
  }

  async find(id: string): Promise<WebhookEndpoint | undefined> {
    const [row] = await this.db<WebhookEndpointRow>(TABLE).select<PublicRow[]>(PUBLIC_COLUMNS).where({ id });
    return row && toEndpoint(row);
  }

  /** The partner's live endpoint, if it has one (what an event for the partner goes to). */
  async findLiveForPartner(partnerId: string): Promise<WebhookEndpoint | undefined> {
    const [row] = await this.db<WebhookEndpointRow>(TABLE).select<PublicRow[]>(PUBLIC_COLUMNS).where({ partner_id: partnerId }).whereNull('deleted_at');
    return row && toEndpoint(row);
  }

  /** Marks the endpoint deleted (once: a second delete keeps the first time); undefined if there is none. */
  async softDelete(id: string): Promise<WebhookEndpoint | undefined> {
    const [row] = await this.db<WebhookEndpointRow>(TABLE)
      .where({ id })
      .update({ deleted_at: this.db.raw('coalesce(deleted_at, now())') as unknown as Date })
      .returning(PUBLIC_COLUMNS);
    return row && toEndpoint(row as WebhookEndpointRow);
  }

  /**
   * Gives a live endpoint a new secret. The one it replaces is still signed with for `previousValidForSeconds`
   * (by the database's clock), or not at all with 0; one older than that is forgotten. Undefined when no live
   * endpoint has this id.
   */
  async rotateSecret(id: string, secret: string, previousValidForSeconds: number): Promise<RotatedEndpoint | undefined> {
    const keepPrevious = previousValidForSeconds > 0;
    const [row] = await this.db(TABLE)
      .where({ id })
      .whereNull('deleted_at')
      .update({
        secret_ciphertext: encryptWebhookSecret(secret, this.secretKey),
        previous_secret_ciphertext: keepPrevious ? this.db.ref('secret_ciphertext') : null,
        previous_secret_expires_at: keepPrevious ? this.db.raw('now() + make_interval(secs => ?)', [previousValidForSeconds]) : null,
      })
      .returning([...PUBLIC_COLUMNS, 'previous_secret_expires_at']);
    if (!row) return undefined;
    const rotated = row as WebhookEndpointRow;
    return { endpoint: toEndpoint(rotated), previousSecretExpiresAt: rotated.previous_secret_expires_at };
  }

  /**
   * The endpoint with its secrets decrypted, deleted or not (a delivery for a deleted endpoint should
   * stop); undefined when no endpoint has this id. Throws WebhookSecretError when the key cannot decrypt it.
   */
  async findForDelivery(id: string): Promise<WebhookEndpointForDelivery | undefined> {
    const row = await this.db<WebhookEndpointRow>(TABLE)
      .select<(WebhookEndpointRow & { previous_honoured: boolean })[]>('*', this.db.raw('previous_secret_expires_at > now() AS previous_honoured'))
      .where({ id })
      .first();
    if (!row) return undefined;
    const ciphertexts = [row.secret_ciphertext, ...(row.previous_honoured && row.previous_secret_ciphertext ? [row.previous_secret_ciphertext] : [])];
    return {
      id: row.id,
      partner_id: row.partner_id,
      url: row.url,
      events: row.events,
      secrets: ciphertexts.map((ciphertext) => decryptWebhookSecret(ciphertext, this.secretKey)),
      deleted: row.deleted_at !== null,
    };
  }
}
