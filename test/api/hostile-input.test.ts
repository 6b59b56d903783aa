import { listingInput, uniqueId } from '../support/fixtures';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

describe('hostile and malformed input', () => {
  let t: TestGateway;
  let partner: string;
  let inventory: string;
  let staff: string;
  let remoteId: string;
  let snapshot: () => Promise<unknown>;

  beforeAll(async () => {
    t = await startTestGateway();
    [partner, inventory, staff] = await Promise.all([t.createKey('partner', 'tevo'), t.createKey('inventory'), t.createKey('staff')]);
    remoteId = uniqueId('listing');
    await t.http.put(`/v1/listings/${remoteId}`).set('X-Api-Key', inventory).send(listingInput({ quantity: 5 })).expect(201);
    snapshot = async () => ({
      listings: await t.db.knex('listings').orderBy('remote_id'),
      holds: await t.db.knex('holds').orderBy('global_id'),
      ledger: await t.db.knex('ledger_entries').count({ n: '*' }),
    });
  });
  afterAll(() => t.close());

  let before: unknown;
  beforeEach(async () => {
    before = await snapshot();
  });
  afterEach(async () => expect(await snapshot()).toEqual(before));

  const postHold = () => t.http.post('/v1/holds').set('X-Api-Key', partner);
  const expectProblem = (response: { status: number; body: { code: string }; headers: Record<string, string> }, status: number, code: string) => {
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  };

  describe('when the body is not valid JSON', () => {
    it('then it is a 400 validation_failed', async () => {
      const response = await postHold().set('Content-Type', 'application/json').send('{"global_id": "a",');
      expectProblem(response, 400, 'validation_failed');
      expect(response.body.detail).toBe('The body is not valid JSON.');
    });
  });

  describe('when the body is not JSON at all', () => {
    it('then it is a 415 unsupported_media_type', async () => {
      const response = await postHold().set('Content-Type', 'text/plain').send('global_id=a');
      expectProblem(response, 415, 'unsupported_media_type');
    });
  });

  describe('when the body breaks the schema', () => {
    it.each([
      ['a missing field', { global_id: 'g', remote_id: 'r' }, '/body/quantity'],
      ['a wrong type', { global_id: 'g', remote_id: 'r', quantity: '2' }, '/body/quantity'],
      ['a fractional quantity', { global_id: 'g', remote_id: 'r', quantity: 1.5 }, '/body/quantity'],
      ['a zero quantity', { global_id: 'g', remote_id: 'r', quantity: 0 }, '/body/quantity'],
      ['a negative quantity', { global_id: 'g', remote_id: 'r', quantity: -3 }, '/body/quantity'],
      ['a huge quantity', { global_id: 'g', remote_id: 'r', quantity: 1e12 }, '/body/quantity'],
      ['a null', { global_id: null, remote_id: 'r', quantity: 1 }, '/body/global_id'],
      ['an unknown field', { global_id: 'g', remote_id: 'r', quantity: 1, price: 0 }, '/body/price'],
      ['an over-long id', { global_id: 'g'.repeat(129), remote_id: 'r', quantity: 1 }, '/body/global_id'],
      ['an empty id', { global_id: '', remote_id: 'r', quantity: 1 }, '/body/global_id'],
      ['a control character in an id', { global_id: 'a\u0000b', remote_id: 'r', quantity: 1 }, '/body/global_id'],
      ['unicode in an id', { global_id: 'ĝlobal', remote_id: 'r', quantity: 1 }, '/body/global_id'],
      ['an array body', [1, 2], '/body'],
    ])('then %s is a 400 validation_failed naming the field', async (_case, body, path) => {
      const response = await postHold().send(body as object);
      expectProblem(response, 400, 'validation_failed');
      expect(response.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    });
  });

  describe('when an id looks like SQL', () => {
    it('then it is stored and matched as plain text', async () => {
      const sneaky = `x'); DROP TABLE holds; --`;
      const response = await postHold().send({ global_id: sneaky, remote_id: remoteId, quantity: 1 });
      expectProblem(response, 400, 'validation_failed');

      const quoted = `x'or'1'='1`;
      const notFound = await t.http.get(`/v1/holds/${encodeURIComponent(quoted)}`).set('X-Api-Key', partner);
      expectProblem(notFound, 404, 'hold_not_found');
      const listing = await t.http.get(`/v1/listings/${encodeURIComponent("1' OR '1'='1")}`).set('X-Api-Key', partner);
      expectProblem(listing, 400, 'validation_failed');
      const noListing = await t.http.get(`/v1/listings/${encodeURIComponent("1'OR'1'='1")}`).set('X-Api-Key', partner);
      expectProblem(noListing, 404, 'listing_not_found');
    });
  });

  describe('when the body is over 1 MB', () => {
    it('then it is a 413 payload_too_large', async () => {
      const response = await postHold().send({ global_id: 'g', remote_id: 'r', quantity: 1, pad: 'x'.repeat(1_100_000) });
      expectProblem(response, 413, 'payload_too_large');
    });
  });

  describe('when a query parameter is wrong', () => {
    it.each([
      ['an unknown parameter', { surprise: 1 }],
      ['a limit over 200', { limit: 201 }],
      ['a limit that is not a number', { limit: 'ten' }],
    ])('then %s is a 400 validation_failed', async (_case, query) => {
      const response = await t.http.get('/v1/listings').query(query).set('X-Api-Key', partner);
      expectProblem(response, 400, 'validation_failed');
    });
  });

  describe('when a page cursor is forged', () => {
    /** A cursor as an attacker would build one: the query part right, the position made up. */
    const forged = (position: unknown, query: object) => Buffer.from(JSON.stringify({ p: position, q: query })).toString('base64url');
    const anywhere: [string, unknown][] = [
      ['an object', { a: 1 }],
      ['a null', null],
      ['a pair of numbers', [1, 2]],
      ['a NUL character', 'a\u0000b'],
      ['a lone surrogate', 'Zo\ud83d'],
    ];
    const pages: [path: string, query: object, valid: unknown, invalid: [string, unknown][]][] = [
      [
        '/v1/holds',
        {},
        ['2026-01-01T00:00:00.000000Z', 'g'],
        [
          ['a string', 'abc'],
          ['an impossible date', ['2026-02-30T00:00:00.000000Z', 'g']],
          ['a year zero', ['0000-01-01T00:00:00.000000Z', 'g']],
          ['a NUL character in the id', ['2026-01-01T00:00:00.000000Z', 'a\u0000b']],
          ['a third member', ['2026-01-01T00:00:00.000000Z', 'g', 'h']],
        ],
      ],
      ['/v1/listings', { event_id: null }, 'a', [['an over-long id', 'x'.repeat(129)], ['an empty id', '']]],
      [
        '/v1/deliveries',
        { status: null, target: null },
        1,
        [
          ['a string', 'abc'],
          ['a huge number', 1e300],
          ['a fraction', 1.5],
          ['a zero', 0],
        ],
      ],
    ];

    describe.each(pages)('at %s', (path, query, valid, invalid) => {
      it('then one with a well-formed position is taken (the forgery is otherwise right)', async () => {
        await t.http.get(path).query({ cursor: forged(valid, query) }).set('X-Api-Key', staff).expect(200);
      });

      it.each([...anywhere, ...invalid])('then %s as position is a 400 invalid_cursor', async (_case, position) => {
        const response = await t.http.get(path).query({ cursor: forged(position, query) }).set('X-Api-Key', staff);
        expectProblem(response, 400, 'invalid_cursor');
      });
    });
  });

  describe('when a string is not well-formed Unicode (a lone surrogate)', () => {
    const loneSurrogate = 'Zo\ud83d';

    it('then a listing with it is a 400 validation_failed naming the field', async () => {
      const response = await t.http
        .put(`/v1/listings/${uniqueId('surrogate')}`)
        .set('X-Api-Key', inventory)
        .send(listingInput({ event: { ...listingInput().event, name: loneSurrogate } }));
      expectProblem(response, 400, 'validation_failed');
      expect(response.body.errors.map((e: { path: string }) => e.path)).toContain('/body/event/name');
    });

    it('then an API key named with it is a 400 validation_failed naming the field', async () => {
      const response = await t.http.post('/v1/api-keys').set('X-Api-Key', t.adminKey).send({ name: loneSurrogate, role: 'staff' });
      expectProblem(response, 400, 'validation_failed');
      expect(response.body.errors.map((e: { path: string }) => e.path)).toContain('/body/name');
    });

    it('then a customer name with it is a 400 validation_failed naming the field', async () => {
      const response = await t.http
        .post('/v1/invoices')
        .set('X-Api-Key', partner)
        .send({ global_id: uniqueId('hold'), order_id: 'ORD-1', customer: { name: loneSurrogate } });
      expectProblem(response, 400, 'validation_failed');
      expect(response.body.errors.map((e: { path: string }) => e.path)).toContain('/body/customer/name');
    });
  });

  describe('when the route or method does not exist', () => {
    it('then an unknown route is a 404 not_found', async () => {
      expectProblem(await t.http.get('/v1/nothing-here').set('X-Api-Key', partner), 404, 'not_found');
      expectProblem(await t.http.get('/nothing-here'), 404, 'not_found');
    });

    it('then a wrong method is a 405 method_not_allowed', async () => {
      expectProblem(await t.http.delete('/v1/holds').set('X-Api-Key', partner), 405, 'method_not_allowed');
    });
  });

  describe('when a request id comes in', () => {
    it('then a usable one is echoed back and named in problems; an unusable one is replaced', async () => {
      const echoed = await postHold().set('X-Request-Id', 'req-123').send({});
      expect(echoed.headers['x-request-id']).toBe('req-123');
      expect(echoed.body.instance).toBe('urn:request:req-123');

      const replaced = await postHold().set('X-Request-Id', 'has spaces in it').send({});
      expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
});
