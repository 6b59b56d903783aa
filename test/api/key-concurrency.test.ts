import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { limitConcurrencyPerKey } from '../../src/platform/key-concurrency';
import type { Principal } from '../../src/platform/principal';
import { listingInput, uniqueId } from '../support/fixtures';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

describe('heavy work per key', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t.close());

  const batch = (key: string) =>
    t.http
      .post('/v1/listings/batch')
      .set('X-Api-Key', key)
      .send({ listings: Array.from({ length: 1000 }, () => ({ remote_id: uniqueId('listing'), ...listingInput() })) });

  describe('when one key sends several batches at once', () => {
    it("then one runs and the others are 429 rate_limited with Retry-After, while another key's batch runs beside it", async () => {
      const [feed, otherFeed] = [await t.createKey('inventory'), await t.createKey('inventory')];

      const [first, second, third, other] = await Promise.all([batch(feed), batch(feed), batch(feed), batch(otherFeed)]);

      const statuses = [first, second, third].map((answer) => answer.status).sort();
      expect(statuses).toEqual([200, 429, 429]);
      const refused = [first, second, third].find((answer) => answer.status === 429)!;
      expect(refused.body).toMatchObject({ code: 'rate_limited' });
      expect(refused.body.detail).toBe('This API key already has a batch in progress; retry when it has finished.');
      expect(refused.headers['retry-after']).toBe('1');
      expect(other.status).toBe(200);
      await batch(feed).expect(200);
    });
  });
});

describe("one key's queue", () => {
  const principal = { keyId: 'key-1', role: 'partner' } as Principal;
  const request = () => ({ req: { principal } as Request, res: new EventEmitter() as unknown as Response });

  it('when a key has more requests than may run, then the rest wait, each starting in its own context as one ends', async () => {
    const limit = limitConcurrencyPerKey({ maxInFlight: 2, maxWaiting: 5 }, 'requests');
    const context = new AsyncLocalStorage<number>();
    const startedAs: (number | undefined)[] = [];
    const requests = [1, 2, 3, 4].map((id) => ({ id, ...request() }));
    const settle = () => new Promise((resolve) => setImmediate(resolve));

    for (const { id, req, res } of requests) context.run(id, () => limit(req, res, () => startedAs.push(context.getStore())));
    await settle();
    expect(startedAs).toEqual([1, 2]);

    context.run(99, () => requests[0].res.emit('close'));
    await settle();
    expect(startedAs).toEqual([1, 2, 3]);

    requests[3].res.emit('close');
    requests[1].res.emit('close');
    await settle();
    expect(startedAs).toEqual([1, 2, 3]);
  });

  it('when its queue is full, then the next request is 429 rate_limited', () => {
    const limit = limitConcurrencyPerKey({ maxInFlight: 1, maxWaiting: 0 }, 'a batch');
    const outcomes: unknown[] = [];
    for (const { req, res } of [request(), request()]) limit(req, res, (error?: unknown) => outcomes.push(error));

    expect(outcomes).toEqual([expect.objectContaining({ code: 'rate_limited', headers: { 'Retry-After': '1' } })]);
  });
});
