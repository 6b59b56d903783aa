import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { hashApiKey } from '../../src/features/api-keys/api-key-secret';
import { ApiKeyService } from '../../src/features/api-keys/api-key-service';
import type { ApiKeyStore } from '../../src/features/api-keys/api-key-store';
import { ConfigError, loadConfig } from '../../src/platform/config';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const WINDOW_SECONDS = 60;

describe('rate limits', () => {
  let t: TestGateway;
  let keyLookups: number;

  beforeAll(async () => {
    t = await startTestGateway({
      rateLimits: loadConfig({ RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS), RATE_LIMITS: '{"partner": 5, "anonymous": 8}' }).rateLimits,
    });
    t.db.knex.on('query', (query: { sql: string }) => {
      if (/from "?api_keys"?/i.test(query.sql) && /key_hash/.test(query.sql)) keyLookups++;
    });
  });
  afterAll(() => t.close());

  const listing = (key: string) => t.http.get('/v1/listings/none').set('X-Api-Key', key);
  const madeUpKey = () => `tg_${randomBytes(32).toString('base64url')}`;

  describe('when a key makes more requests than its role allows in a window', () => {
    it('then the rest are 429 rate_limited with Retry-After and the IETF RateLimit headers, and another key is unaffected', async () => {
      const [greedy, other] = [await t.createKey('partner', 'tevo'), await t.createKey('partner', 'tevo')];
      const answers = [];
      for (let i = 0; i < 7; i++) answers.push(await listing(greedy));

      expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 404, 404, 429, 429]);
      // (The key's first lookup counted against the address too: the "address" policy may come along.)
      expect(answers[0].headers['ratelimit-policy']).toMatch(new RegExp(`"partner"; q=5; w=${WINDOW_SECONDS}; pk=:[^:]+:$`));
      expect(answers[1].headers.ratelimit).toMatch(/^"partner"; r=3; t=\d+$/);
      const refused = answers[6];
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 429, code: 'rate_limited' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(WINDOW_SECONDS);
      expect(refused.headers.ratelimit).toMatch(/^"partner"; r=0; t=\d+$/);

      await listing(other).expect(404);
    });
  });

  describe('when a caller sends the same unknown key again and again', () => {
    it('then it is looked up in the database once, and refused from memory after that', async () => {
      keyLookups = 0;
      const revoked = madeUpKey();

      const answers = [await listing(revoked), await listing(revoked), await listing(revoked)];

      expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401]);
      expect(keyLookups).toBe(1);
    });
  });

  describe('when a caller without a valid key keeps sending made-up keys', () => {
    it('then past the address limit it gets 429 without a database lookup, and the probes still answer', async () => {
      keyLookups = 0;
      const answers = [];
      for (let i = 0; i < 30; i++) answers.push(await listing(madeUpKey()));

      // The address's budget of 8 was partly spent on the first lookups of the keys above.
      const looked = answers.findIndex((answer) => answer.status !== 401);
      expect(looked).toBeGreaterThan(0);
      expect(answers.slice(looked).every((answer) => answer.status === 429 && answer.body.code === 'rate_limited')).toBe(true);
      expect(answers[looked].headers['ratelimit-policy']).toMatch(/^"address"; q=8;/);
      expect(keyLookups).toBe(looked);
      await t.http.get('/healthz').expect(200);
      await t.http.get('/readyz').expect(200);
    });
  });
});

describe('the key cache', () => {
  it('when a flood of unknown keys passes through, then a valid key stays cached (no lookup)', async () => {
    const validKey = 'tg_valid-key-of-a-partner';
    const lookups: string[] = [];
    const store = {
      findActiveByHash: async (keyHash: string) => {
        lookups.push(keyHash);
        return keyHash === hashApiKey(validKey)
          ? { id: 'key-1', name: 'tevo', role: 'partner' as const, partnerId: 'tevo', keyHash, createdAt: new Date(), revokedAt: null }
          : undefined;
      },
    } as unknown as ApiKeyStore;
    const keys = new ApiKeyService({} as Knex, store);
    await keys.authenticate(validKey);

    for (let i = 0; i < 10_001; i++) expect(await keys.authenticate(`tg_unknown-${i}`)).toBeNull();
    lookups.length = 0;

    expect(await keys.authenticate(validKey)).toMatchObject({ partnerId: 'tevo' });
    expect(await keys.authenticate('tg_unknown-10000')).toBeNull();
    expect(lookups).toEqual([]);
  });
});

describe('limit settings', () => {
  it('when none are set, then the defaults apply, per role and per partner', () => {
    const config = loadConfig({});

    expect(config.rateLimits).toEqual({
      windowMs: 10_000,
      perRole: { partner: 10_000, inventory: 2_000, staff: 2_000, monitor: 1_000, admin: 2_000 },
      perAddress: 1_000,
    });
    expect(config.keyConcurrency).toEqual({ requests: { maxInFlight: 8, maxWaiting: 1_000 }, batches: { maxInFlight: 1, maxWaiting: 0 } });
    expect(config.partnerLimits).toBeUndefined();
  });

  it('when some are set, then only those change', () => {
    const config = loadConfig({ RATE_LIMITS: '{"partner": 50}', PARTNER_LIMITS: '{"tevo": {"max_held_tickets": 500}}', KEY_CONCURRENCY: '2' });

    expect(config.rateLimits.perRole).toMatchObject({ partner: 50, staff: 2_000 });
    expect(config.partnerLimits).toEqual({ tevo: { max_held_tickets: 500 } });
    expect(config.keyConcurrency.requests.maxInFlight).toBe(2);
  });

  it.each([
    ['RATE_LIMITS', '{"partner": 0}'],
    ['RATE_LIMITS', '{"guest": 5}'],
    ['PARTNER_LIMITS', '{"tevo": {"max_held": 5}}'],
    ['PARTNER_LIMITS', 'not json'],
    ['KEY_CONCURRENCY', '0'],
    ['KEY_BATCH_CONCURRENCY', 'many'],
  ])('when %s=%s, then the configuration is refused naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`Invalid configuration: ${name}`));
  });
});
