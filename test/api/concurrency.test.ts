import { listingInput, uniqueId } from '../support/fixtures';
import { ledgerViolations } from '../support/ledger-invariants';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

/** Fires `count` requests at once and answers their status codes. */
async function together(count: number, send: (i: number) => PromiseLike<{ status: number }>): Promise<number[]> {
  const responses = await Promise.all(Array.from({ length: count }, (_, i) => send(i)));
  return responses.map((r) => r.status);
}

const tally = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((counts, s) => ({ ...counts, [s]: (counts[s] ?? 0) + 1 }), {});

describe('concurrent requests', () => {
  let t: TestGateway;
  let partner: string;
  let inventory: string;

  beforeAll(async () => {
    t = await startTestGateway({ poolMax: 20 });
    [partner, inventory] = await Promise.all([t.createKey('partner', 'tevo'), t.createKey('inventory')]);
  });
  afterEach(async () => expect(await ledgerViolations(t.db.knex)).toEqual([]));
  afterAll(() => t.close());

  async function newListing(quantity: number): Promise<string> {
    const remoteId = uniqueId('listing');
    await t.http.put(`/v1/listings/${remoteId}`).set('X-Api-Key', inventory).send(listingInput({ quantity })).expect(201);
    return remoteId;
  }

  const hold = (body: object) => t.http.post('/v1/holds').set('X-Api-Key', partner).send(body);

  describe('when 40 identical holds race', () => {
    it('then exactly one creates the hold (201) and the others replay it (200)', async () => {
      const remoteId = await newListing(10);
      const body = { global_id: uniqueId('hold'), remote_id: remoteId, quantity: 3 };

      const statuses = await together(40, () => hold(body));

      expect(tally(statuses)).toEqual({ 201: 1, 200: 39 });
      expect(await t.db.knex('holds').where({ global_id: body.global_id })).toHaveLength(1);
      const [listing] = await t.db.knex('listings').where({ remote_id: remoteId });
      expect(listing).toMatchObject({ held: 3, available: 7 });
    });
  });

  describe('when 40 identical invoices race', () => {
    it('then exactly one invoices (201), the others replay (200), and two deliveries exist', async () => {
      const remoteId = await newListing(10);
      const globalId = uniqueId('hold');
      await hold({ global_id: globalId, remote_id: remoteId, quantity: 2 }).expect(201);

      const statuses = await together(40, () =>
        t.http.post('/v1/invoices').set('X-Api-Key', partner).send({ global_id: globalId, order_id: 'ORD-RACE' }),
      );

      expect(tally(statuses)).toEqual({ 201: 1, 200: 39 });
      expect(await t.db.knex('deliveries').where({ global_id: globalId })).toHaveLength(2);
    });
  });

  describe('when 300 single-ticket holds race for 50 tickets', () => {
    it('then exactly 50 are granted and the rest are told insufficient_inventory', async () => {
      const remoteId = await newListing(50);

      const statuses = await together(300, () => hold({ global_id: uniqueId('hold'), remote_id: remoteId, quantity: 1 }));

      expect(tally(statuses)).toEqual({ 201: 50, 409: 250 });
      const [listing] = await t.db.knex('listings').where({ remote_id: remoteId });
      expect(listing).toMatchObject({ held: 50, available: 0 });
    });
  });

  describe('when holds, releases and a restock race on one listing', () => {
    it('then the counters still equal a recount of the ledger', async () => {
      const remoteId = await newListing(20);
      const ids = Array.from({ length: 60 }, () => uniqueId('hold'));

      await together(60, (i) => hold({ global_id: ids[i], remote_id: remoteId, quantity: 1 }));
      await together(60, (i) =>
        i % 10 === 0
          ? t.http.put(`/v1/listings/${remoteId}`).set('X-Api-Key', inventory).send(listingInput({ quantity: 25 + i }))
          : t.http.post(`/v1/holds/${ids[i]}/release`).set('X-Api-Key', partner),
      );

      const [listing] = await t.db.knex('listings').where({ remote_id: remoteId });
      expect([25, 35, 45, 55, 65, 75]).toContain(listing.quantity);
      expect(listing.held).toBe(Math.min(20, 60) - (await t.db.knex('holds').where({ remote_id: remoteId, status: 'released' })).length);
    });
  });
});
