import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { WebhookEndpointStore } from '../../src/features/webhooks/webhook-endpoint-store';
import { DEMO_PARTNER, startDemoWebhooks } from '../../simulators/webhook-sink/demo-webhooks';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('the demo webhook sink of gateways started together on one database', () => {
  let db: TestDatabase;
  const webhooks = { secretKey: randomBytes(32), allowPrivateUrls: true, timeoutMs: 5_000 };
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  it('then both start, and the partner has exactly one live endpoint, a sink that is running', async () => {
    const starts = await Promise.allSettled([1, 2, 3].map(() => startDemoWebhooks({ db: db.knex, webhooks, logger })));
    const sinks = starts.flatMap((start) => (start.status === 'fulfilled' ? [start.value] : []));
    try {
      expect(starts.filter((start) => start.status === 'rejected')).toEqual([]);
      const live = await db.knex('webhook_endpoints').where({ partner_id: DEMO_PARTNER }).whereNull('deleted_at');
      expect(live).toHaveLength(1);
      const endpoint = await new WebhookEndpointStore(db.knex, webhooks.secretKey).findLiveForPartner(DEMO_PARTNER);
      const answer = await fetch(new URL('/events', endpoint?.url));
      expect(answer.ok).toBe(true);
    } finally {
      await Promise.all(sinks.map((sink) => sink.close()));
    }
  });
});
