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
