import { listingInput, uniqueId } from '../support/fixtures';
import { ledgerViolations } from '../support/ledger-invariants';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

describe('listings', () => {
  let t: TestGateway;
  let inventory: string;
  let partner: string;

  beforeAll(async () => {
    t = await startTestGateway();
    [inventory, partner] = await Promise.all([t.createKey('inventory'), t.createKey('partner', 'tevo')]);
  });
  afterEach(async () => expect(await ledgerViolations(t.db.knex)).toEqual([]));
  afterAll(() => t.close());

  const put = (remoteId: string, body: object) => t.http.put(`/v1/listings/${remoteId}`).set('X-Api-Key', inventory).send(body);
  const batch = (listings: object[]) => t.http.post('/v1/listings/batch').set('X-Api-Key', inventory).send({ listings });
  const get = (remoteId: string) => t.http.get(`/v1/listings/${remoteId}`).set('X-Api-Key', inventory);

  describe('when a listing is put for the first time', () => {
    it('then it is created (201) with every ticket available and its mapping', async () => {
      const remoteId = uniqueId('listing');
      const input = listingInput({
        quantity: 8,
        seats: ['1', '2'],
        splits: [2, 4],
        tessitura: { performance_id: 4412, zone_id: 3, price_type: 1 },
        salesvu: { product_id: '90817' },
      });

      const response = await put(remoteId, input).expect(201);

      expect(response.body).toMatchObject({
        remote_id: remoteId,
        event: { id: 'evt-hamlet-0312', name: 'Hamlet', venue: 'Main Stage', occurs_at: '2027-03-13T00:30:00.000Z' },
        quantity: 8,
        available: 8,
        held: 0,
        sold: 0,
        price: { amount: '125.00', currency: 'USD' },
        splits: [2, 4],
        seats: ['1', '2'],
        tessitura: { performance_id: 4412, zone_id: 3, price_type: 1 },
        salesvu: { product_id: '90817' },
      });
      expect((await get(remoteId).expect(200)).body).toEqual(response.body);
    });
  });

  describe('when a listing is put again', () => {
    it('then it is updated (200) and available follows the new quantity around what is held', async () => {
      const remoteId = uniqueId('listing');
      await put(remoteId, listingInput({ quantity: 5 })).expect(201);
      await t.http.post('/v1/holds').set('X-Api-Key', partner).send({ global_id: uniqueId('h'), remote_id: remoteId, quantity: 2 }).expect(201);

      const response = await put(remoteId, listingInput({ quantity: 9, section: 'Balcony' })).expect(200);

      expect(response.body).toMatchObject({ quantity: 9, available: 7, held: 2, section: 'Balcony' });
      expect(response.body).not.toHaveProperty('splits');
    });

    it('then a quantity below what is held and sold is a 409 quantity_below_committed, and nothing changes', async () => {
      const remoteId = uniqueId('listing');
      await put(remoteId, listingInput({ quantity: 5 })).expect(201);
      await t.http.post('/v1/holds').set('X-Api-Key', partner).send({ global_id: uniqueId('h'), remote_id: remoteId, quantity: 3 }).expect(201);

      const response = await put(remoteId, listingInput({ quantity: 2, section: 'Moved' })).expect(409);

      expect(response.body.code).toBe('quantity_below_committed');
      expect(response.body.detail).toContain('3 tickets');
      expect((await get(remoteId)).body).toMatchObject({ quantity: 5, available: 2, held: 3, section: 'Orchestra' });
    });
  });

  describe('when a listing names things with emoji (paired surrogates)', () => {
    it('then they are stored and read back as sent', async () => {
      const remoteId = uniqueId('listing');
      const event = { ...listingInput().event, name: 'Hamlet \ud83d\udc51' };

      await put(remoteId, listingInput({ section: 'Loge \ud83c\udfad', event })).expect(201);

      expect((await get(remoteId)).body).toMatchObject({ section: 'Loge 🎭', event: { name: 'Hamlet 👑' } });
    });
  });

  describe('when a listing is read that does not exist', () => {
    it('then it is a 404 listing_not_found', async () => {
      expect((await get('nope').expect(404)).body.code).toBe('listing_not_found');
    });
  });

  describe('when listings are listed', () => {
    it('then they come in remote_id order, page by page, filtered by event', async () => {
      const eventId = uniqueId('evt');
      const ids = ['a', 'b', 'c', 'd', 'e'].map((suffix) => `${eventId}-${suffix}`);
      const event = { id: eventId, name: 'Hamlet', venue: 'Main Stage', occurs_at: '2027-03-12T19:30:00Z' };
      await batch([...ids].reverse().map((remote_id) => ({ remote_id, ...listingInput({ event }) }))).expect(200);
      await put(uniqueId('other-event'), listingInput()).expect(201);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { data: { remote_id: string }[]; next_cursor: string | null } } = await t.http
          .get('/v1/listings')
          .query({ event_id: eventId, limit: 2, ...(cursor && { cursor }) })
          .set('X-Api-Key', partner)
          .expect(200);
        seen.push(...page.body.data.map((l) => l.remote_id));
        cursor = page.body.next_cursor;
      } while (cursor);

      expect(seen).toEqual(ids);
    });

    it('then a page holds 50 listings unless limit says otherwise', async () => {
      const eventId = uniqueId('evt');
      const event = { id: eventId, name: 'Hamlet', venue: 'Main Stage', occurs_at: '2027-03-12T19:30:00Z' };
      await batch(Array.from({ length: 51 }, (_, i) => ({ remote_id: `${eventId}-${i}`, ...listingInput({ event }) }))).expect(200);

      const page = await t.http.get('/v1/listings').query({ event_id: eventId }).set('X-Api-Key', partner).expect(200);

      expect(page.body.data).toHaveLength(50);
      expect(page.body.next_cursor).toEqual(expect.any(String));
    });

    it('then a cursor of another query is a 400 invalid_cursor', async () => {
      const eventId = uniqueId('evt');
      const event = { id: eventId, name: 'Hamlet', venue: 'Main Stage', occurs_at: '2027-03-12T19:30:00Z' };
      await batch(['x', 'y'].map((s) => ({ remote_id: `${eventId}-${s}`, ...listingInput({ event }) }))).expect(200);
      const first = await t.http.get('/v1/listings').query({ event_id: eventId, limit: 1 }).set('X-Api-Key', partner).expect(200);

      const response = await t.http
        .get('/v1/listings')
        .query({ event_id: 'another', cursor: first.body.next_cursor })
        .set('X-Api-Key', partner)
        .expect(400);

      expect(response.body.code).toBe('invalid_cursor');
      await t.http.get('/v1/listings').query({ cursor: 'bm90LWpzb24' }).set('X-Api-Key', partner).expect(400);
    });
  });

  describe('when listings come in a batch', () => {
    it('then each item gets the status it would have had alone, in request order', async () => {
      const existing = uniqueId('listing');
      await put(existing, listingInput({ quantity: 4 })).expect(201);
      await t.http.post('/v1/holds').set('X-Api-Key', partner).send({ global_id: uniqueId('h'), remote_id: existing, quantity: 4 }).expect(201);
      const fresh = uniqueId('listing');
      const updated = uniqueId('listing');
      await put(updated, listingInput({ quantity: 1 })).expect(201);

      const response = await batch([
        { remote_id: fresh, ...listingInput() },
        { remote_id: uniqueId('listing'), ...listingInput({ quantity: -1 }) },
        { remote_id: existing, ...listingInput({ quantity: 3 }) },
        { remote_id: updated, ...listingInput({ quantity: 6 }) },
        { ...listingInput() },
        { remote_id: 'has space', ...listingInput(), surprise: true },
      ]).expect(200);

      expect(response.body.results).toEqual([
        { remote_id: fresh, status: 201 },
        expect.objectContaining({ status: 400, code: 'validation_failed', errors: [{ path: '/quantity', message: 'must be >= 0' }] }),
        expect.objectContaining({ remote_id: existing, status: 409, code: 'quantity_below_committed' }),
        { remote_id: updated, status: 200 },
        expect.objectContaining({ remote_id: null, status: 400, code: 'validation_failed' }),
        expect.objectContaining({ remote_id: null, status: 400, code: 'validation_failed' }),
      ]);
      expect(response.body.results[5].errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: '/remote_id' }),
          { path: '/', message: 'must NOT have additional properties' },
        ]),
      );
      expect((await get(existing)).body).toMatchObject({ quantity: 4, held: 4 });
      expect((await get(updated)).body).toMatchObject({ quantity: 6, available: 6 });
    });

    it('then a remote_id repeated in the batch is applied in order, the last one winning', async () => {
      const remoteId = uniqueId('listing');

      const response = await batch([
        { remote_id: remoteId, ...listingInput({ quantity: 1 }) },
        { remote_id: remoteId, ...listingInput({ quantity: 7 }) },
      ]).expect(200);

      expect(response.body.results).toEqual([
        { remote_id: remoteId, status: 201 },
        { remote_id: remoteId, status: 200 },
      ]);
      expect((await get(remoteId)).body).toMatchObject({ quantity: 7 });
    });

    it('then an item with text that is not well-formed Unicode (a lone surrogate) is a 400 naming the field, and the others are written', async () => {
      const [good, bad] = [uniqueId('listing'), uniqueId('listing')];

      const response = await batch([
        { remote_id: good, ...listingInput() },
        { remote_id: bad, ...listingInput({ row: 'F\ud83d' }) },
      ]).expect(200);

      expect(response.body.results).toEqual([
        { remote_id: good, status: 201 },
        expect.objectContaining({ remote_id: bad, status: 400, code: 'validation_failed', errors: [expect.objectContaining({ path: '/row' })] }),
      ]);
      await get(bad).expect(404);
    });

    it('then 1000 items are accepted and 1001 are a 413 batch_too_large that changes nothing', async () => {
      const prefix = uniqueId('bulk');
      const items = (n: number) => Array.from({ length: n }, (_, i) => ({ remote_id: `${prefix}-${i}`, ...listingInput() }));

      const tooMany = await batch(items(1001)).expect(413);
      expect(tooMany.body.code).toBe('batch_too_large');
      await get(`${prefix}-0`).expect(404);

      const accepted = await batch(items(1000)).expect(200);
      expect(accepted.body.results).toHaveLength(1000);
      expect(accepted.body.results.every((r: { status: number }) => r.status === 201)).toBe(true);
    });
  });
});
