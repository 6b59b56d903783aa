import { Writable } from 'node:stream';
import { announceAdminKey } from '../../src/features/api-keys/admin-key-announcement';
import { generateApiKey } from '../../src/features/api-keys/api-key-secret';
import { ApiKeyService } from '../../src/features/api-keys/api-key-service';
import { ApiKeyStore } from '../../src/features/api-keys/api-key-store';
import { createLogger } from '../../src/platform/logger';
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

  describe('when the gateway restarts with ADMIN_API_KEY while an admin key exists', () => {
    /** What start-up tells the operator: the log lines and what it prints, for this ADMIN_API_KEY. */
    async function restartWith(adminApiKey: string): Promise<{ lines: { level: number; msg: string }[]; printed: string }> {
      const lines: { level: number; msg: string }[] = [];
      const destination = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(...chunk.toString('utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)));
          done();
        },
      });
      let printed = '';
      const restarted = new ApiKeyService(db.knex, new ApiKeyStore(db.knex));
      announceAdminKey(await restarted.ensureAdminKey(adminApiKey), createLogger('info', destination), (text) => (printed += text));
      return { lines, printed };
    }

    beforeEach(async () => {
      await apiKeys.ensureAdminKey(ADMIN_API_KEY);
    });

    it('then a different key is ignored with a warning naming ADMIN_API_KEY and how to rotate, never the key', async () => {
      const other = generateApiKey();

      const { lines, printed } = await restartWith(other);

      expect(lines).toHaveLength(1);
      expect(lines[0].level).toBe(40);
      expect(lines[0].msg).toContain('ADMIN_API_KEY was ignored because an admin key already exists');
      expect(lines[0].msg).toMatch(/create a new admin key .* revoke the old one/);
      expect(JSON.stringify(lines)).not.toContain(other);
      expect(printed).toBe('');
      expect(await apiKeys.authenticate(other)).toBeNull();
      expect(await apiKeys.authenticate(ADMIN_API_KEY)).toMatchObject({ role: 'admin' });
    });

    it('then the same key is not warned about', async () => {
      expect(await restartWith(ADMIN_API_KEY)).toEqual({ lines: [], printed: '' });
    });

    it('then a key that is active but not an admin key is ignored with the warning', async () => {
      const { key: partnerKey } = await apiKeys.create({ name: 'tevo', role: 'partner', partner_id: 'tevo' });

      const { lines } = await restartWith(partnerKey);

      expect(lines.map((line) => line.msg)).toEqual([expect.stringContaining('ADMIN_API_KEY was ignored')]);
      expect(await apiKeys.authenticate(partnerKey)).toMatchObject({ role: 'partner' });
    });
  });
});
