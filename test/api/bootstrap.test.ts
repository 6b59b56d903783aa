import { ApiKeyService } from '../../src/features/api-keys/api-key-service';
import { ApiKeyStore } from '../../src/features/api-keys/api-key-store';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const ADMIN_API_KEY = 'operator-chosen-admin-key-0123456789abcdef';

describe('the first admin key', () => {
  let db: TestDatabase;
  let apiKeys: ApiKeyService;

  beforeEach(async () => {
    db = await createTestDatabase();
    apiKeys = new ApiKeyService(db.knex, new ApiKeyStore(db.knex));
  });
  afterEach(() => db.close());

  it('when ADMIN_API_KEY is set and no admin key exists, then it becomes the admin key', async () => {
    expect(await apiKeys.ensureAdminKey(ADMIN_API_KEY)).toEqual({ outcome: 'from-environment' });
    expect(await apiKeys.authenticate(ADMIN_API_KEY)).toMatchObject({ role: 'admin', name: 'bootstrap-admin' });
  });

  it('when ADMIN_API_KEY was revoked, then it is not revived and a new key is generated', async () => {
    await apiKeys.ensureAdminKey(ADMIN_API_KEY);
    const [record] = await apiKeys.list();
    await db.knex('api_keys').where({ id: record.id }).update({ revoked_at: new Date() });

    const again = await apiKeys.ensureAdminKey(ADMIN_API_KEY);

    expect(again.outcome).toBe('generated');
    expect(await new ApiKeyService(db.knex, new ApiKeyStore(db.knex)).authenticate(ADMIN_API_KEY)).toBeNull();
  });

  it('when several gateways start at once on an empty database, then exactly one admin key is created', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => new ApiKeyService(db.knex, new ApiKeyStore(db.knex)).ensureAdminKey(undefined)),
    );

    expect(outcomes.filter((o) => o.outcome === 'generated')).toHaveLength(1);
    expect(await db.knex('api_keys').where({ role: 'admin' })).toHaveLength(1);
  });
});
