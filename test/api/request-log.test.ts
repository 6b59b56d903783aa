import { Writable } from 'node:stream';
import { createLogger } from '../../src/platform/logger';
import { eventually } from '../support/eventually';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

describe('the request log', () => {
  let t: TestGateway;
  let partner: string;
  const lines: string[] = [];

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    t = await startTestGateway({ logger: createLogger('info', destination) });
    partner = await t.createKey('partner', 'tevo');
  });
  afterAll(() => t.close());

  /** The request line of the request with this id, once it is written. */
  const loggedUrl = async (requestId: string): Promise<string | undefined> => {
    const line = await eventually(
      async () => lines.find((l) => l.includes(`"id":"${requestId}"`)),
      (found) => found !== undefined,
      10_000,
    );
    return line && (JSON.parse(line) as { req: { url: string } }).req.url;
  };

  describe('when a caller puts a key in the query string', () => {
    it.each(['api_key', 'key', 'token', 'access_token', 'API_KEY', 'Access-Token'])(
      'then ?%s= is refused and its value is not logged',
      async (name) => {
        const secret = `s3cret-${name}-value`;
        const requestId = `query-${name}`;
        const response = await t.http.get(`/v1/listings?limit=1&${name}=${secret}`).set('X-Request-Id', requestId);
        expect(response.status).toBeGreaterThanOrEqual(400);

        const url = await loggedUrl(requestId);
        expect(url).toBe(`/v1/listings?limit=1&${name}=[redacted]`);
        expect(lines.join('\n')).not.toContain(secret);
      },
    );
  });

  describe('when an API key appears anywhere else in the URL', () => {
    it('then it is not logged, under any name or in the path', async () => {
      await t.http.get(`/v1/listings?note=${partner}`).set('X-Request-Id', 'key-in-note').set('X-Api-Key', partner);
      await t.http.get(`/v1/holds/${partner}`).set('X-Request-Id', 'key-in-path').set('X-Api-Key', partner);

      expect(await loggedUrl('key-in-note')).toBe('/v1/listings?note=tg_[redacted]');
      expect(await loggedUrl('key-in-path')).toBe('/v1/holds/tg_[redacted]');
      expect(lines.join('\n')).not.toContain(partner.slice(3));
    });
  });

  describe('when the query string has nothing secret', () => {
    it('then the URL is logged as sent', async () => {
      await t.http.get('/v1/listings?limit=2&event_id=evt-1').set('X-Request-Id', 'plain').set('X-Api-Key', partner).expect(200);

      expect(await loggedUrl('plain')).toBe('/v1/listings?limit=2&event_id=evt-1');
    });
  });

  describe('when a request is answered', () => {
    it('then exactly one line tells its id, method, URL, status, time and caller, at info level', async () => {
      await t.http.get('/v1/listings?limit=1').set('X-Request-Id', 'one-line').set('X-Api-Key', partner).expect(200);

      await loggedUrl('one-line');
      const logged = lines.filter((l) => l.includes('"id":"one-line"')).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(logged).toEqual([
        expect.objectContaining({
          level: 30,
          msg: 'request completed',
          req: { id: 'one-line', method: 'GET', url: '/v1/listings?limit=1' },
          res: { statusCode: 200 },
          responseTime: expect.any(Number),
          actor: expect.stringContaining('#'),
        }),
      ]);
    });
  });
});
