import { createHash } from 'node:crypto';
import { KEY_CACHE_TTL_MS } from '../../src/features/api-keys/api-key-service';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

describe('API keys', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t.close());

  const admin = () => t.adminKey;

  describe('when an admin creates a key', () => {
    it('then the secret is shown once, stored only as its SHA-256 hash, and never listed', async () => {
      const created = await t.http
        .post('/v1/api-keys')
        .set('X-Api-Key', admin())
        .send({ name: 'tevo-production', role: 'partner', partner_id: 'tevo' })
        .expect(201);

      expect(created.body).toMatchObject({ name: 'tevo-production', role: 'partner', partner_id: 'tevo' });
      expect(created.body.key).toMatch(/^tg_[A-Za-z0-9_-]{43}$/);
      const stored = await t.db.knex('api_keys').where({ id: created.body.id }).first();
      expect(stored.key_hash).toBe(createHash('sha256').update(created.body.key).digest('hex'));
      expect(JSON.stringify(stored)).not.toContain(created.body.key);
      const listed = await t.http.get('/v1/api-keys').set('X-Api-Key', admin()).expect(200);
      expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
      expect(listed.body.data).toContainEqual(expect.objectContaining({ id: created.body.id, revoked_at: null }));
    });

    it('then a partner key without partner_id, or another role with one, is a 400', async () => {
      await t.http.post('/v1/api-keys').set('X-Api-Key', admin()).send({ name: 'p', role: 'partner' }).expect(400);
      await t.http.post('/v1/api-keys').set('X-Api-Key', admin()).send({ name: 's', role: 'staff', partner_id: 'x' }).expect(400);
      await t.http.post('/v1/api-keys').set('X-Api-Key', admin()).send({ name: 'r', role: 'root' }).expect(400);
    });
  });

  describe('when a key is revoked', () => {
    it('then it stops working at once in this process and revoking again answers the same', async () => {
      const key = await t.createKey('staff');
      const { body: list } = await t.http.get('/v1/api-keys').set('X-Api-Key', admin()).expect(200);
      const { id } = list.data.find((k: { role: string; revoked_at: string | null }) => k.role === 'staff' && !k.revoked_at);
      await t.http.get('/v1/listings').set('X-Api-Key', key).expect(200);

      const revoked = await t.http.delete(`/v1/api-keys/${id}`).set('X-Api-Key', admin()).expect(200);
      const again = await t.http.delete(`/v1/api-keys/${id}`).set('X-Api-Key', admin()).expect(200);

      expect(revoked.body.revoked_at).toEqual(expect.any(String));
      expect(again.body).toEqual(revoked.body);
      await t.http.get('/v1/listings').set('X-Api-Key', key).expect(401);
    });

    it('then another process honours the revocation within the key cache lifetime', async () => {
      const key = await t.createKey('inventory');
      await t.http.get('/v1/listings').set('X-Api-Key', key).expect(200);
      await t.db.knex('api_keys').whereNotNull('id').andWhere({ role: 'inventory' }).update({ revoked_at: new Date() });

      await new Promise((resolve) => setTimeout(resolve, KEY_CACHE_TTL_MS + 100));

      await t.http.get('/v1/listings').set('X-Api-Key', key).expect(401);
    });

    it('then an unknown id is a 404 api_key_not_found', async () => {
      const response = await t.http.delete('/v1/api-keys/00000000-0000-4000-8000-000000000000').set('X-Api-Key', admin()).expect(404);
      expect(response.body.code).toBe('api_key_not_found');
    });

    it('then the last active admin key cannot be revoked (409 last_admin_key)', async () => {
      const { body: list } = await t.http.get('/v1/api-keys').set('X-Api-Key', admin()).expect(200);
      const bootstrap = list.data.find((k: { name: string }) => k.name === 'bootstrap-admin');

      const response = await t.http.delete(`/v1/api-keys/${bootstrap.id}`).set('X-Api-Key', admin()).expect(409);

      expect(response.body.code).toBe('last_admin_key');
      await t.http.get('/v1/api-keys').set('X-Api-Key', admin()).expect(200);
    });
  });

  describe('when the gateway starts', () => {
    it('then ADMIN_API_KEY becomes the first admin key only while no admin key exists', async () => {
      await expect(t.gateway.apiKeys.ensureAdminKey('x'.repeat(40))).resolves.toEqual({ outcome: 'environment-key-ignored' });
      await t.http.get('/v1/api-keys').set('X-Api-Key', 'x'.repeat(40)).expect(401);
    });
  });
});
