import { Writable } from 'node:stream';
import { WebhookEndpointStore } from '../../src/features/webhooks/webhook-endpoint-store';
import { WEBHOOK_EVENT_TYPES } from '../../src/features/webhooks/webhook-events';
import { createLogger } from '../../src/platform/logger';
import { eventually } from '../support/eventually';
import { startTestGateway, TEST_WEBHOOKS, type TestGateway } from '../support/test-gateway';

const URL_OF = (partner: string) => `https://hooks.${partner}.example/ticket-gateway`;

describe('webhook endpoints (POST/GET /v1/webhooks, DELETE /v1/webhooks/{id}, POST /v1/webhooks/{id}/secret)', () => {
  let t: TestGateway;
  const lines: string[] = [];
  let store: WebhookEndpointStore;

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    // As in production: https only, no internal addresses.
    t = await startTestGateway({ logger: createLogger('trace', destination), webhooks: { allowPrivateUrls: false } });
    store = new WebhookEndpointStore(t.db.knex, TEST_WEBHOOKS.secretKey);
    for (const partner of ['tevo', 'vivid', 'seatgeek', 'stubhub', 'gametime', 'tickpick', 'rotating', 'rotated-away']) await t.createKey('partner', partner);
  });
  afterAll(() => t.close());

  const create = (body: object, key = t.adminKey) => t.http.post('/v1/webhooks').set('X-Api-Key', key).send(body);
  const list = () => t.http.get('/v1/webhooks').set('X-Api-Key', t.adminKey).expect(200);
  const expectProblem = (response: { status: number; body: { code: string }; headers: Record<string, string> }, status: number, code: string) => {
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  };

  describe('when an admin registers a partner\'s endpoint', () => {
    it('then the secret is shown once, stored only encrypted, never listed, and every event is subscribed by default', async () => {
      const created = await create({ partner_id: 'tevo', url: URL_OF('tevo') }).expect(201);

      expect(created.body).toEqual({
        id: expect.any(String),
        partner_id: 'tevo',
        url: URL_OF('tevo'),
        events: [...WEBHOOK_EVENT_TYPES],
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
        created_at: expect.any(String),
      });
      const secret = created.body.secret as string;
      const row = await t.db.knex('webhook_endpoints').where({ id: created.body.id }).first();
      expect(JSON.stringify(row)).not.toContain(secret);
      expect(JSON.stringify(row)).not.toContain(secret.slice('whsec_'.length));
      expect(row.secret_ciphertext).toMatch(/^v1\./);

      const listed = await list();
      expect(JSON.stringify(listed.body)).not.toContain(secret);
      expect(listed.body.data).toContainEqual({ ...created.body, secret: undefined, deleted_at: null });
      expect(listed.body.data.find((e: { id: string }) => e.id === created.body.id)).not.toHaveProperty('secret');

      // The delivery side reads it back in clear, with the key it was stored with.
      expect(await store.findForDelivery(created.body.id)).toEqual({
        id: created.body.id,
        partner_id: 'tevo',
        url: URL_OF('tevo'),
        events: [...WEBHOOK_EVENT_TYPES],
        secrets: [secret],
        deleted: false,
      });
    });

    it('then the secret never reaches the log', async () => {
      const created = await create({ partner_id: 'vivid', url: URL_OF('vivid'), events: ['sale.recorded'] }).set('X-Request-Id', 'webhook-create').expect(201);
      await store.findForDelivery(created.body.id);

      await eventually(async () => lines.some((l) => l.includes('"id":"webhook-create"')), Boolean, 10_000);
      expect(lines.join('\n')).toContain('webhook-create');
      expect(lines.join('\n')).not.toContain(created.body.secret);
    });

    it('then the chosen events are kept, in the order given', async () => {
      const created = await create({ partner_id: 'seatgeek', url: URL_OF('seatgeek'), events: ['sale.failed', 'hold.expired'] }).expect(201);
      expect(created.body.events).toEqual(['sale.failed', 'hold.expired']);
    });
  });

  describe('when the partner already has a live endpoint', () => {
    it('then a second one is a 409 webhook_exists naming the live one, and once that is deleted another may be registered', async () => {
      const first = await create({ partner_id: 'stubhub', url: URL_OF('stubhub') }).expect(201);

      const second = await create({ partner_id: 'stubhub', url: `${URL_OF('stubhub')}/v2` });
      expectProblem(second, 409, 'webhook_exists');
      expect(second.body.webhook_id).toBe(first.body.id);

      await t.http.delete(`/v1/webhooks/${first.body.id}`).set('X-Api-Key', t.adminKey).expect(200);
      const third = await create({ partner_id: 'stubhub', url: `${URL_OF('stubhub')}/v2` }).expect(201);
      expect(third.body.secret).not.toBe(first.body.secret);
    });

    it('then concurrent registrations for one partner leave exactly one live endpoint', async () => {
      const answers = await Promise.all([1, 2, 3, 4].map((n) => create({ partner_id: 'gametime', url: `${URL_OF('gametime')}/${n}` })));
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
      expect(await t.db.knex('webhook_endpoints').where({ partner_id: 'gametime' }).whereNull('deleted_at')).toHaveLength(1);
    });
  });

  describe('when an endpoint is deleted', () => {
    it('then it is marked deleted (not removed), listed as such, and deleting again answers the same', async () => {
      const created = await create({ partner_id: 'tickpick', url: URL_OF('tickpick') }).expect(201);

      const deleted = await t.http.delete(`/v1/webhooks/${created.body.id}`).set('X-Api-Key', t.adminKey).expect(200);
      const again = await t.http.delete(`/v1/webhooks/${created.body.id}`).set('X-Api-Key', t.adminKey).expect(200);

      expect(deleted.body).toEqual({ ...created.body, secret: undefined, deleted_at: expect.any(String) });
      expect(again.body).toEqual(deleted.body);
      expect((await list()).body.data).toContainEqual(deleted.body);
      // A delivery still queued for it can tell it is gone.
      expect(await store.findForDelivery(created.body.id)).toMatchObject({ id: created.body.id, deleted: true });
    });

    it('then an unknown id is a 404 webhook_not_found, and a malformed one a 400', async () => {
      expectProblem(await t.http.delete('/v1/webhooks/00000000-0000-4000-8000-000000000000').set('X-Api-Key', t.adminKey), 404, 'webhook_not_found');
      expectProblem(await t.http.delete('/v1/webhooks/not-a-uuid').set('X-Api-Key', t.adminKey), 400, 'validation_failed');
      expect(await store.findForDelivery('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    });
  });

  describe("when an endpoint's secret is rotated (POST /v1/webhooks/{id}/secret)", () => {
    const rotate = (id: string, body?: object, key = t.adminKey) => {
      const request = t.http.post(`/v1/webhooks/${id}/secret`).set('X-Api-Key', key);
      return body === undefined ? request : request.send(body);
    };

    it('then the new secret is shown once and stored only encrypted, and the delivery side signs with both until the old one expires', async () => {
      const created = await create({ partner_id: 'rotating', url: URL_OF('rotating') }).expect(201);
      const rotated = await rotate(created.body.id, { previous_secret_valid_for_seconds: 600 }).expect(200);

      expect(rotated.body).toEqual({ ...created.body, secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/), previous_secret_expires_at: expect.any(String) });
      expect(rotated.body.secret).not.toBe(created.body.secret);
      const row = await t.db.knex('webhook_endpoints').where({ id: created.body.id }).first();
      for (const secret of [created.body.secret, rotated.body.secret]) expect(JSON.stringify(row)).not.toContain(secret.slice('whsec_'.length));
      expect(await store.findForDelivery(created.body.id)).toMatchObject({ secrets: [rotated.body.secret, created.body.secret] });
      expect(JSON.stringify((await list()).body)).not.toContain(rotated.body.secret);
      expect(lines.join('\n')).not.toContain(rotated.body.secret);
    });

    it('then a deleted endpoint is a 409 webhook_deleted, an unknown one a 404, and bad input a 400, each changing nothing', async () => {
      const created = await create({ partner_id: 'rotated-away', url: URL_OF('rotated-away') }).expect(201);
      const before = await t.db.knex('webhook_endpoints').where({ id: created.body.id }).first();
      for (const body of [{ previous_secret_valid_for_seconds: -1 }, { previous_secret_valid_for_seconds: 604_801 }, { previous_secret_valid_for_seconds: 1.5 }, { keep: true }]) {
        expectProblem(await rotate(created.body.id, body), 400, 'validation_failed');
      }
      expectProblem(await rotate('not-a-uuid'), 400, 'validation_failed');
      expectProblem(await rotate('00000000-0000-4000-8000-000000000000'), 404, 'webhook_not_found');
      expectProblem(await rotate(created.body.id, {}, await t.createKey('staff')), 403, 'forbidden');
      expect(await t.db.knex('webhook_endpoints').where({ id: created.body.id }).first()).toEqual(before);

      await t.http.delete(`/v1/webhooks/${created.body.id}`).set('X-Api-Key', t.adminKey).expect(200);
      expectProblem(await rotate(created.body.id), 409, 'webhook_deleted');
      expect(await t.db.knex('webhook_endpoints').where({ id: created.body.id }).first()).toMatchObject({ secret_ciphertext: before.secret_ciphertext });
    });
  });

  describe('when the request is wrong', () => {
    it.each([
      ['http://', 'http://hooks.tevo.example/in'],
      ['credentials', 'https://user:pass@hooks.tevo.example/in'],
      ['loopback', 'https://127.0.0.1/in'],
      ['private', 'https://10.0.0.1/in'],
      ['cloud metadata', 'https://169.254.169.254/latest/meta-data'],
      ['IPv6 loopback', 'https://[::1]/in'],
      ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/in'],
      ['localhost', 'https://localhost/in'],
      ['a localhost subdomain', 'https://hooks.localhost/in'],
    ])('then a URL with %s is a 400 webhook_url_refused', async (_case, url) => {
      const response = await create({ partner_id: 'tevo', url });
      expectProblem(response, 400, 'webhook_url_refused');
    });

    it.each([
      ['no URL', { partner_id: 'tevo' }],
      ['a URL that is not one', { partner_id: 'tevo', url: 'hooks.tevo.example' }],
      ['a URL with spaces', { partner_id: 'tevo', url: 'https://hooks.tevo.example/a b' }],
      ['an overlong URL', { partner_id: 'tevo', url: `https://hooks.tevo.example/${'a'.repeat(2048)}` }],
      ['an unknown event', { partner_id: 'tevo', url: URL_OF('tevo'), events: ['sale.refunded'] }],
      ['no events', { partner_id: 'tevo', url: URL_OF('tevo'), events: [] }],
      ['an event twice', { partner_id: 'tevo', url: URL_OF('tevo'), events: ['sale.failed', 'sale.failed'] }],
      ['an unknown field', { partner_id: 'tevo', url: URL_OF('tevo'), secret: 'mine' }],
      ['no partner', { url: URL_OF('tevo') }],
    ])('then %s is a 400 validation_failed', async (_case, body) => {
      expectProblem(await create(body), 400, 'validation_failed');
    });

    it('then a partner no key was ever made for is a 404 partner_not_found', async () => {
      expectProblem(await create({ partner_id: 'nobody', url: URL_OF('nobody') }), 404, 'partner_not_found');
    });

    it('then nothing was stored by any refused request', async () => {
      const rows = await t.db.knex('webhook_endpoints').whereIn('partner_id', ['nobody']);
      expect(rows).toEqual([]);
      expect((await t.db.knex('webhook_endpoints').where({ partner_id: 'tevo' })).map((r) => r.url)).toEqual([URL_OF('tevo')]);
    });
  });

  describe('when a key of another role calls', () => {
    it.each(['partner', 'staff', 'inventory', 'monitor'] as const)('then a %s key is a 403 forbidden on all three operations', async (role) => {
      const key = await t.createKey(role, role === 'partner' ? 'tevo' : undefined);
      expectProblem(await create({ partner_id: 'tevo', url: URL_OF('tevo') }, key), 403, 'forbidden');
      expectProblem(await t.http.get('/v1/webhooks').set('X-Api-Key', key), 403, 'forbidden');
      expectProblem(await t.http.delete('/v1/webhooks/00000000-0000-4000-8000-000000000000').set('X-Api-Key', key), 403, 'forbidden');
    });
  });
});

describe('webhook endpoints with WEBHOOK_ALLOW_PRIVATE_URLS=true (tests, the local demo)', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({ webhooks: { allowPrivateUrls: true } });
    await t.createKey('partner', 'tevo');
  });
  afterAll(() => t.close());

  it('then an http URL on loopback is accepted, but never one with credentials', async () => {
    await t.http.post('/v1/webhooks').set('X-Api-Key', t.adminKey).send({ partner_id: 'tevo', url: 'https://u:p@127.0.0.1:9/in' }).expect(400);
    await t.http.post('/v1/webhooks').set('X-Api-Key', t.adminKey).send({ partner_id: 'tevo', url: 'http://127.0.0.1:9/in' }).expect(201);
  });
});
