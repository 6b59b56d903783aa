import { startTestGateway, type TestGateway } from '../support/test-gateway';

describe('the home page', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t.close());

  it('when GET / is opened without a key, then it points to the API reference and the staff console, which answer', async () => {
    const home = await t.http.get('/').expect(200).expect('Content-Type', /json/);

    expect(home.body).toMatchObject({ docs: '/docs', console: '/console', openapi: '/docs/openapi.yaml', health: '/healthz' });
    for (const page of [home.body.docs, `${home.body.console}/`, home.body.openapi, home.body.health]) await t.http.get(page).expect(200);
  });
});
