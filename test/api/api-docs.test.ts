import { loadOpenApiDocument } from '../../src/platform/openapi-document';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

type MediaType = { example?: unknown; examples?: unknown };
type Operation = { operationId: string; requestBody?: { content: Record<string, MediaType> }; responses: Record<string, { content?: Record<string, MediaType> }> };

describe('API documentation', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t.close());

  it('when /docs is opened, then it renders the spec with Swagger UI served by the gateway itself (no CDN, no key)', async () => {
    const page = await t.http.get('/docs').expect(200).expect('Content-Type', /html/);
    expect(page.text).not.toMatch(/(src|href)="https?:/);
    for (const asset of ['/docs/assets/swagger-ui-bundle.js', '/docs/assets/swagger-ui.css', '/docs/init.js']) await t.http.get(asset).expect(200);
    const spec = await t.http.get('/docs/openapi.yaml').expect(200);
    expect(spec.text).toMatch(/^openapi: 3\.0\.3/);
  });

  it('when anything else of swagger-ui-dist is asked for (its package.json, its stock index.html), then it is not found', async () => {
    for (const file of ['package.json', 'index.html', 'swagger-initializer.js', 'swagger-ui-bundle.js.map', '../package.json']) {
      const response = await t.http.get(`/docs/assets/${file}`).expect(404);
      expect(response.body.code).toBe('not_found');
    }
  });

  it("when /docs or /console is opened, then the page forbids framing and outside sources, sniffing and referrers", async () => {
    for (const page of ['/docs', '/docs/assets/swagger-ui-bundle.js', '/console/', '/console/app.js']) {
      const response = await t.http.get(page).expect(200);
      const policy = response.headers['content-security-policy'] as string;
      expect(policy).toContain("default-src 'self'");
      expect(policy).toContain("script-src 'self';");
      expect(policy).toMatch(/style-src 'self'(;|$)/);
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toMatch(/https?:/);
      expect(response.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' });
    }
  });

  it('when the API answers, then the answer is nosniff, never stored by a cache and never framed', async () => {
    const partner = await t.createKey('partner', 'tevo');
    for (const response of [
      await t.http.get('/healthz').expect(200),
      await t.http.get('/v1/api-keys').set('X-Api-Key', t.adminKey).expect(200),
      await t.http.post('/v1/holds').set('X-Api-Key', partner).send({}).expect(400),
      await t.http.get('/v1/holds').expect(401),
    ]) {
      expect(response.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
      expect(response.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
      // Only those: helmet's headers for pages (HSTS, framing, cross-origin policies, ...) are not the API's.
      const pageOnly = ['strict-transport-security', 'x-frame-options', 'cross-origin-opener-policy', 'cross-origin-resource-policy',
        'origin-agent-cluster', 'x-dns-prefetch-control', 'x-download-options', 'x-permitted-cross-domain-policies', 'x-xss-protection'];
      expect(pageOnly.filter((header) => header in response.headers)).toEqual([]);
    }
  });

  it('then every operation has an example request (when it takes a body) and an example of every answer', () => {
    const document = loadOpenApiDocument();
    const paths = document.paths as Record<string, Record<string, Operation>>;
    const shared = (document.components?.responses ?? {}) as Record<string, { content?: Record<string, MediaType> }>;
    const resolve = (response: { $ref?: string; content?: Record<string, MediaType> }) =>
      response.$ref ? shared[response.$ref.split('/').pop() as string] : response;
    const missing: string[] = [];
    const hasExample = (media: MediaType) => media.example !== undefined || media.examples !== undefined;
    const operations = Object.values(paths).flatMap((item) =>
      Object.entries(item).filter(([method]) => ['get', 'put', 'post', 'delete', 'patch'].includes(method)).map(([, op]) => op),
    );
    for (const operation of operations) {
      for (const media of Object.values(operation.requestBody?.content ?? {})) if (!hasExample(media)) missing.push(`${operation.operationId} request`);
      for (const [status, response] of Object.entries(operation.responses)) {
        for (const media of Object.values(resolve(response)?.content ?? {})) if (!hasExample(media)) missing.push(`${operation.operationId} ${status}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
