import type * as pathPatterns from 'path-to-regexp';
import { pathToRegexp } from 'path-to-regexp';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

// Counts how often route patterns are compiled, by the validator and by Express alike (jest hoists this).
jest.mock('path-to-regexp', () => {
  const actual = jest.requireActual<typeof pathPatterns>('path-to-regexp');
  return { ...actual, pathToRegexp: jest.fn(actual.pathToRegexp) };
});

describe('matching a request to its OpenAPI operation', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t.close());

  it('compiles each route pattern once, not on every request (patches/express-openapi-validator)', async () => {
    const get = (path: string) => t.http.get(path).set('X-Api-Key', t.adminKey);
    await get('/v1/holds/warm-up').expect(404);
    await get('/v1/listings').expect(200);
    const compiled = jest.mocked(pathToRegexp).mock.calls.length;

    for (let i = 0; i < 10; i++) {
      await get(`/v1/holds/no-such-hold-${i}`).expect(404);
      await get('/v1/listings').expect(200);
    }

    expect(compiled).toBeGreaterThan(0);
    expect(jest.mocked(pathToRegexp).mock.calls.length).toBe(compiled);
  });
});
