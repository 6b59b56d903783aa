import type { Test } from 'supertest';
import { loadOpenApiDocument } from '../../src/platform/openapi-document';
import { ROLES, type Role } from '../../src/platform/principal';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

type Operation = { method: string; path: string; operationId: string; roles: Role[]; secured: boolean };

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];

function documentedOperations(): Operation[] {
  const document = loadOpenApiDocument();
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, { operationId: string; 'x-roles'?: Role[]; security?: unknown[] }>)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, operation]) => ({
        method,
        path: path.replace(/\{[^}]+\}/g, 'some-id').replace('/v1/api-keys/some-id', '/v1/api-keys/00000000-0000-4000-8000-000000000000'),
        operationId: operation.operationId,
        roles: operation['x-roles'] ?? [],
        secured: operation.security === undefined || operation.security.length > 0,
      })),
  );
}

const operations = documentedOperations();
const secured = operations.filter((o) => o.secured);

describe('authentication and roles', () => {
  let t: TestGateway;
  const keys = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await startTestGateway();
    for (const role of ROLES) keys[role] = role === 'admin' ? t.adminKey : await t.createKey(role, role === 'partner' ? 'tevo' : undefined);
  });
  afterAll(() => t.close());

  const call = (o: Operation) => (t.http as unknown as Record<string, (path: string) => Test>)[o.method](o.path);

  it('then every secured operation names the roles it admits', () => {
    for (const operation of secured) expect({ id: operation.operationId, roles: operation.roles.length > 0 }).toEqual({ id: operation.operationId, roles: true });
  });

  describe.each(secured.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))('%s', (_name, operation) => {
    it('when no key is sent, then it is a 401 unauthorized', async () => {
      const response = await call(operation).expect(401);
      expect(response.body.code).toBe('unauthorized');
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('when an unknown key is sent, then it is a 401 unauthorized', async () => {
      await call(operation).set('X-Api-Key', 'tg_not-a-real-key').expect(401);
    });

    const forbidden = ROLES.filter((role) => !operation.roles.includes(role));
    if (forbidden.length > 0) {
      it.each(forbidden)('when a %s key is sent, then it is a 403 forbidden', async (role) => {
        const response = await call(operation).set('X-Api-Key', keys[role]).expect(403);
        expect(response.body.code).toBe('forbidden');
        expect(response.body.detail).toContain(operation.operationId);
      });
    }

    it.each(operation.roles)('when a %s key is sent, then it gets past authorization', async (role) => {
      const response = await call(operation).set('X-Api-Key', keys[role]);
      expect([401, 403]).not.toContain(response.status);
    });
  });

  describe('when the key comes as a bearer token', () => {
    it('then it is accepted like X-Api-Key, and its role is checked the same way', async () => {
      await t.http.get('/v1/api-keys').set('Authorization', `Bearer ${t.adminKey}`).expect(200);
      const response = await t.http.get('/v1/api-keys').set('Authorization', `Bearer ${keys.partner}`).expect(403);
      expect(response.body.code).toBe('forbidden');
    });
  });

  describe('when a key comes both as X-Api-Key and as a bearer token', () => {
    it.each([
      ['two different keys', () => [keys.staff, t.adminKey]],
      ['the same key twice', () => [t.adminKey, t.adminKey]],
      ['a key and an unknown one', () => ['tg_not-a-real-key', t.adminKey]],
    ])('then %s is a 401 ambiguous_credentials: one method per request', async (_case, pair) => {
      const [apiKey, bearer] = pair();
      const response = await t.http.get('/v1/api-keys').set('X-Api-Key', apiKey).set('Authorization', `Bearer ${bearer}`).expect(401);
      expect(response.body.code).toBe('ambiguous_credentials');
    });

    it('then an operation that needs no key still answers', async () => {
      await t.http.get('/healthz').set('X-Api-Key', keys.staff).set('Authorization', `Bearer ${t.adminKey}`).expect(200);
    });
  });

  describe('when a request without a valid key also has a bad body', () => {
    it('then the key is judged first: 401, and nothing of the body is judged or reported', async () => {
      for (const key of [undefined, 'tg_not-a-real-key']) {
        const request = t.http.post('/v1/holds').send({ global_id: 42, extra: true });
        const response = await (key ? request.set('X-Api-Key', key) : request).expect(401);
        expect(response.body.code).toBe('unauthorized');
        expect(response.body.errors).toBeUndefined();
      }
    });

    it('then a key whose role may not call the operation is a 403 before the body is judged', async () => {
      const response = await t.http.post('/v1/holds').set('X-Api-Key', keys.staff).send({ global_id: 42 }).expect(403);
      expect(response.body.code).toBe('forbidden');
    });
  });

  describe('when no key is needed', () => {
    it.each(operations.filter((o) => !o.secured).map((o) => o.path))('then %s answers without one', async (path) => {
      await t.http.get(path).expect(200);
    });
  });
});
