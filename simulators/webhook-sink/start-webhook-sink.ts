import express from 'express';
import type { Logger } from 'pino';
import { verifyWebhookSignature } from '../../src/features/webhooks/webhook-signature';
import { listen } from '../shared/http-listener';

/** What the sink kept of one request: the event, and whether its signature held. */
export type SunkWebhook = { received_at: string; signature_valid: boolean; event: unknown };

export type WebhookSink = {
  /** Where events are POSTed. */
  url: string;
  /** Lists what was received, newest first. */
  eventsUrl: string;
  received: SunkWebhook[];
  /** The endpoint's secret, once registered: signatures are checked with it. */
  useSecret(secret: string): void;
  close(): Promise<void>;
};

const KEPT = 200;
/** Where the README's walk-through looks; any free port when it is taken (the log names it). */
export const DEMO_SINK_PORT = 8093;

/**
 * A partner's receiver for the local demo: takes every POST (answering 200 as a receiver should), checks
 * its Gateway-Signature and shows the last events at GET /events.
 */
export async function startWebhookSink(logger: Logger): Promise<WebhookSink> {
  const received: SunkWebhook[] = [];
  let secret: string | undefined;
  const app = express();
  app.disable('x-powered-by');
  app.post('/hooks', express.raw({ type: '*/*', limit: '1mb' }), (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signatureValid = secret !== undefined && verifyWebhookSignature(req.get('Gateway-Signature'), body, secret);
    let event: unknown;
    try {
      event = JSON.parse(body.toString('utf8'));
    } catch {
      event = body.toString('utf8');
    }
    received.unshift({ received_at: new Date().toISOString(), signature_valid: signatureValid, event });
    received.length = Math.min(received.length, KEPT);
    logger.info({ event: (event as { type?: string }).type, signatureValid }, 'demo webhook sink: event received');
    res.status(200).end();
  });
  app.get('/events', (_req, res) => {
    res.json(received);
  });
  const listener = await listen(app, { port: DEMO_SINK_PORT }).catch(() => listen(app, {}));
  return {
    url: `${listener.origin}/hooks`,
    eventsUrl: `${listener.origin}/events`,
    received,
    useSecret: (next) => (secret = next),
    close: () => listener.close(),
  };
}
