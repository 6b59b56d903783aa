import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { LiveEndpointExistsError, WebhookEndpointStore } from '../../src/features/webhooks/webhook-endpoint-store';
import { WEBHOOK_EVENT_TYPES } from '../../src/features/webhooks/webhook-events';
import type { WebhookSettings } from '../../src/features/webhooks/webhook-secret-key';
import { generateWebhookSecret } from '../../src/features/webhooks/webhook-secrets';
import { startWebhookSink } from './start-webhook-sink';

/** The partner of the README's walk-through. */
export const DEMO_PARTNER = 'tevo';
const DEMO_SINK_URL = /^http:\/\/127\.0\.0\.1:\d+\/hooks$/;

export type DemoWebhooksContext = { db: Knex; webhooks: WebhookSettings; logger: Logger };

/**
 * `npm start`: the demo partner's events go to a local sink (an earlier run's sink endpoint is replaced;
 * an endpoint an operator registered for the partner is left alone). Needs WEBHOOK_ALLOW_PRIVATE_URLS.
 * Of demo gateways started together on one database, the first to register its sink keeps it.
 */
export async function startDemoWebhooks({ db, webhooks, logger }: DemoWebhooksContext): Promise<{ close(): Promise<void> }> {
  const none = { close: async () => undefined };
  if (!webhooks.allowPrivateUrls) {
    logger.info('WEBHOOK_ALLOW_PRIVATE_URLS is false: no local webhook sink for the demo partner');
    return none;
  }
  const endpoints = new WebhookEndpointStore(db, webhooks.secretKey);
  const live = await endpoints.findLiveForPartner(DEMO_PARTNER);
  if (live && !DEMO_SINK_URL.test(live.url)) return none;
  const sink = await startWebhookSink(logger.child({ simulator: 'webhook-sink' }));
  if (live) await endpoints.softDelete(live.id);
  const secret = generateWebhookSecret();
  try {
    await endpoints.insert({ partnerId: DEMO_PARTNER, url: sink.url, events: [...WEBHOOK_EVENT_TYPES], secret });
  } catch (err) {
    if (!(err instanceof LiveEndpointExistsError)) throw err;
    await sink.close();
    logger.info(`another gateway registered its sink for partner ${DEMO_PARTNER} first; this one runs none`);
    return none;
  }
  sink.useSecret(secret);
  logger.info({ events: sink.eventsUrl }, `partner ${DEMO_PARTNER}'s webhooks go to a local sink, which lists what it received`);
  return sink;
}
