import { listingInput, uniqueId } from '../support/fixtures';
import { ledgerViolations } from '../support/ledger-invariants';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

describe('holds', () => {
  let t: TestGateway;
  let partner: string;
  let otherPartner: string;
  let inventory: string;
  let staff: string;

  beforeAll(async () => {
    t = await startTestGateway();
    [partner, otherPartner, inventory, staff] = await Promise.all([
      t.createKey('partner', 'tevo'),
      t.createKey('partner', 'vivid'),
      t.createKey('inventory'),
      t.createKey('staff'),
    ]);
  });
  afterEach(async () => expect(await ledgerViolations(t.db.knex)).toEqual([]));
  afterAll(() => t.close());

  async function newListing(overrides: Parameters<typeof listingInput>[0] = {}): Promise<string> {
    const remoteId = uniqueId('listing');
    await t.http.put(`/v1/listings/${remoteId}`).set('X-Api-Key', inventory).send(listingInput(overrides)).expect(201);
    return remoteId;
  }

  const hold = (body: object, key = partner) => t.http.post('/v1/holds').set('X-Api-Key', key).send(body);
  const listing = async (remoteId: string) =>
    (await t.http.get(`/v1/listings/${remoteId}`).set('X-Api-Key', inventory).expect(200)).body;

  describe('when a partner holds tickets of a listing', () => {
    it('then the hold is created and the tickets move from available to held', async () => {
      const remoteId = await newListing({ quantity: 10 });
      const globalId = uniqueId('hold');

      const response = await hold({ global_id: globalId, remote_id: remoteId, quantity: 3 }).expect(201);

      expect(response.body).toMatchObject({ global_id: globalId, remote_id: remoteId, quantity: 3, status: 'held', partner_id: 'tevo' });
      const ttl = Date.parse(response.body.expires_at) - Date.parse(response.body.created_at);
      expect(ttl).toBe(900_000);
      expect(await listing(remoteId)).toMatchObject({ quantity: 10, available: 7, held: 3, sold: 0 });
    });
  });

  describe('when the identical hold request is repeated', () => {
    it('then it answers 200 with the same hold, marked as a replay, and holds nothing more', async () => {
      const remoteId = await newListing({ quantity: 10 });
      const body = { global_id: uniqueId('hold'), remote_id: remoteId, quantity: 2 };
      const first = await hold(body).expect(201);

      const repeat = await hold(body).expect(200);

      expect(repeat.body).toEqual(first.body);
      expect(repeat.headers['idempotent-replayed']).toBe('true');
      expect(await listing(remoteId)).toMatchObject({ available: 8, held: 2 });
    });
  });

  describe('when a global_id is reused with a different body', () => {
    it.each([
      ['another quantity', { quantity: 3 }],
      ['another listing', { remote_id: 'other-listing' }],
    ])('then %s is a 409 global_id_conflict', async (_case, change) => {
      const remoteId = await newListing();
      const body = { global_id: uniqueId('hold'), remote_id: remoteId, quantity: 2 };
      await hold(body).expect(201);

      const response = await hold({ ...body, ...change }).expect(409);

      expect(response.body.code).toBe('global_id_conflict');
      expect(await listing(remoteId)).toMatchObject({ held: 2 });
    });

    it("then another partner's global_id is a conflict that reveals nothing of the hold", async () => {
      const remoteId = await newListing();
      const body = { global_id: uniqueId('hold'), remote_id: remoteId, quantity: 2 };
      await hold(body).expect(201);

      const response = await hold(body, otherPartner).expect(409);

      expect(response.body.code).toBe('global_id_conflict');
      expect(response.body.detail).not.toContain(remoteId);
    });

    it("then a refused request answers the same whether its global_id is unused or another partner's (no oracle)", async () => {
      const theirs = uniqueId('hold');
      await hold({ global_id: theirs, remote_id: await newListing(), quantity: 2 }, otherPartner).expect(201);
      const [soldOut, inPairs] = [await newListing({ quantity: 1 }), await newListing({ quantity: 8, splits: [2, 4] })];
      const refusals = [
        { remote_id: 'no-such-listing', quantity: 1 },
        { remote_id: soldOut, quantity: 2 },
        { remote_id: inPairs, quantity: 3 },
      ];

      const answer = ({ status, body }: { status: number; body: object }) => ({ status, ...body, instance: undefined });

      for (const request of refusals) {
        const unused = await hold({ ...request, global_id: uniqueId('hold') });
        const taken = await hold({ ...request, global_id: theirs });

        expect(unused.body.code).not.toBe('global_id_conflict');
        expect(answer(taken)).toEqual(answer(unused));
      }
    });
  });

  describe('when fewer tickets are available than requested', () => {
    it('then it is a 409 insufficient_inventory saying how many are available, and nothing changes', async () => {
      const remoteId = await newListing({ quantity: 3 });
      await hold({ global_id: uniqueId('hold'), remote_id: remoteId, quantity: 2 }).expect(201);

      const response = await hold({ global_id: uniqueId('hold'), remote_id: remoteId, quantity: 2 }).expect(409);

      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ code: 'insufficient_inventory', status: 409, available: 1 });
      expect(response.body.detail).toContain('Only 1 ticket is available');
      expect(await listing(remoteId)).toMatchObject({ available: 1, held: 2 });
    });
  });

  describe("when the quantity breaks the listing's split rules", () => {
    it('then it is a 409 invalid_split and nothing is held', async () => {
      const remoteId = await newListing({ quantity: 8, splits: [2, 4] });

      const response = await hold({ global_id: uniqueId('hold'), remote_id: remoteId, quantity: 3 }).expect(409);

      expect(response.body.code).toBe('invalid_split');
      expect(await listing(remoteId)).toMatchObject({ available: 8, held: 0 });
      await hold({ global_id: uniqueId('hold'), remote_id: remoteId, quantity: 4 }).expect(201);
    });
  });

  describe('when the listing does not exist', () => {
    it('then it is a 404 listing_not_found', async () => {
      const response = await hold({ global_id: uniqueId('hold'), remote_id: 'no-such-listing', quantity: 1 }).expect(404);
      expect(response.body.code).toBe('listing_not_found');
    });
  });

  describe('when a hold is released', () => {
    it('then its tickets return, and releasing again answers the same 200', async () => {
      const remoteId = await newListing({ quantity: 5 });
      const globalId = uniqueId('hold');
      await hold({ global_id: globalId, remote_id: remoteId, quantity: 2 }).expect(201);

      const first = await t.http.post(`/v1/holds/${globalId}/release`).set('X-Api-Key', partner).expect(200);
      const again = await t.http.post(`/v1/holds/${globalId}/release`).set('X-Api-Key', partner).expect(200);

      expect(first.body.status).toBe('released');
      expect(again.body).toEqual(first.body);
      expect(await listing(remoteId)).toMatchObject({ available: 5, held: 0 });
    });

    it('then a released global_id is never reused for a new hold', async () => {
      const remoteId = await newListing({ quantity: 5 });
      const body = { global_id: uniqueId('hold'), remote_id: remoteId, quantity: 2 };
      await hold(body).expect(201);
      await t.http.post(`/v1/holds/${body.global_id}/release`).set('X-Api-Key', partner).expect(200);

      const repeat = await hold(body).expect(200);

      expect(repeat.body.status).toBe('released');
      expect(await listing(remoteId)).toMatchObject({ available: 5, held: 0 });
    });

    it("then another partner's hold is a 404, and the hold stays held", async () => {
      const remoteId = await newListing();
      const globalId = uniqueId('hold');
      await hold({ global_id: globalId, remote_id: remoteId, quantity: 1 }).expect(201);

      const response = await t.http.post(`/v1/holds/${globalId}/release`).set('X-Api-Key', otherPartner).expect(404);

      expect(response.body.code).toBe('hold_not_found');
      expect(await listing(remoteId)).toMatchObject({ held: 1 });
    });

    it('then staff may release any hold, and the ledger names who did', async () => {
      const remoteId = await newListing();
      const globalId = uniqueId('hold');
      await hold({ global_id: globalId, remote_id: remoteId, quantity: 1 }).expect(201);

      await t.http.post(`/v1/holds/${globalId}/release`).set('X-Api-Key', staff).expect(200);

      const detail = await t.http.get(`/v1/holds/${globalId}`).set('X-Api-Key', staff).expect(200);
      expect(detail.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['hold', 'release']);
      expect(detail.body.timeline[1].actor).toMatch(/^staff-\d+#[0-9a-f]{8}$/);
    });

    it('then an unknown hold is a 404 hold_not_found', async () => {
      const response = await t.http.post('/v1/holds/never-held/release').set('X-Api-Key', partner).expect(404);
      expect(response.body.code).toBe('hold_not_found');
    });

    it('then an invoiced hold is a 409 already_invoiced and stays sold', async () => {
      const remoteId = await newListing({ quantity: 4 });
      const globalId = uniqueId('hold');
      await hold({ global_id: globalId, remote_id: remoteId, quantity: 2 }).expect(201);
      await t.http.post('/v1/invoices').set('X-Api-Key', partner).send({ global_id: globalId, order_id: 'o-1' }).expect(201);

      const response = await t.http.post(`/v1/holds/${globalId}/release`).set('X-Api-Key', partner).expect(409);

      expect(response.body.code).toBe('already_invoiced');
      expect(await listing(remoteId)).toMatchObject({ available: 2, held: 0, sold: 2 });
    });
  });

  describe('when a hold is read', () => {
    it('then it carries its ledger entries in order, its invoice and its deliveries', async () => {
      const remoteId = await newListing({ quantity: 4 });
      const globalId = uniqueId('hold');
      await hold({ global_id: globalId, remote_id: remoteId, quantity: 2 }).expect(201);
      await t.http.post('/v1/invoices').set('X-Api-Key', partner).send({ global_id: globalId, order_id: 'o-2' }).expect(201);

      const response = await t.http.get(`/v1/holds/${globalId}`).set('X-Api-Key', partner).expect(200);

      expect(response.body).toMatchObject({ global_id: globalId, status: 'invoiced', invoice: { order_id: 'o-2' } });
      expect(response.body.timeline).toEqual([
        expect.objectContaining({ kind: 'hold', delta: { quantity: 0, available: -2, held: 2, sold: 0 } }),
        expect.objectContaining({ kind: 'invoice', delta: { quantity: 0, available: 0, held: -2, sold: 2 } }),
      ]);
      expect(response.body.deliveries).toEqual([
        expect.objectContaining({ target: 'tessitura', status: 'pending', attempts: 0, acknowledgment: null }),
        expect.objectContaining({ target: 'salesvu', status: 'pending', next_attempt_at: null }),
      ]);
    });

    it("then another partner's hold is a 404", async () => {
      const remoteId = await newListing();
      const globalId = uniqueId('hold');
      await hold({ global_id: globalId, remote_id: remoteId, quantity: 1 }).expect(201);

      await t.http.get(`/v1/holds/${globalId}`).set('X-Api-Key', otherPartner).expect(404);
    });
  });
});
