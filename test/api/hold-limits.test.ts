import { listingInput, uniqueId } from '../support/fixtures';
import { ledgerViolations } from '../support/ledger-invariants';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

describe('hold limits per partner', () => {
  let t: TestGateway;
  let tevo: string;
  let vivid: string;
  let inventory: string;

  beforeAll(async () => {
    t = await startTestGateway({
      poolMax: 10,
      partnerLimits: { '*': { max_hold_quantity: 4, max_held_tickets: 6 }, tevo: { max_held_tickets: 12 } },
    });
    [tevo, vivid, inventory] = await Promise.all([t.createKey('partner', 'tevo'), t.createKey('partner', 'vivid'), t.createKey('inventory')]);
  });
  afterEach(async () => expect(await ledgerViolations(t.db.knex)).toEqual([]));
  afterAll(() => t.close());

  async function newListing(quantity = 100): Promise<string> {
    const remoteId = uniqueId('listing');
    await t.http.put(`/v1/listings/${remoteId}`).set('X-Api-Key', inventory).send(listingInput({ quantity })).expect(201);
    return remoteId;
  }
  const hold = (key: string, remoteId: string, quantity: number, globalId = uniqueId('hold')) =>
    t.http.post('/v1/holds').set('X-Api-Key', key).send({ global_id: globalId, remote_id: remoteId, quantity });
  const heldBy = async (partnerId: string) =>
    Number((await t.db.knex.raw(`SELECT coalesce(sum(quantity), 0) AS held FROM holds WHERE partner_id = ? AND status = 'held'`, [partnerId])).rows[0].held);

  describe('when one hold asks for more tickets than the partner may take in one hold', () => {
    it('then it is a 409 hold_limit_reached naming the limit, and nothing is held', async () => {
      const remoteId = await newListing();

      const response = await hold(vivid, remoteId, 5).expect(409);

      expect(response.body).toMatchObject({ code: 'hold_limit_reached', limit: 4 });
      expect(response.body.detail).toBe('One hold may take at most 4 tickets; 5 were requested.');
      expect((await t.http.get(`/v1/listings/${remoteId}`).set('X-Api-Key', inventory).expect(200)).body).toMatchObject({ held: 0 });
    });
  });

  describe("when a partner's open holds would pass its limit", () => {
    it('then the hold is a 409 hold_limit_reached saying what it holds; a release makes room; another partner is not affected', async () => {
      const [first, second] = [await newListing(), await newListing()];
      const kept = uniqueId('hold');
      await hold(vivid, first, 4, kept).expect(201);
      await hold(vivid, second, 2).expect(201);

      const refused = await hold(vivid, second, 1).expect(409);

      expect(refused.body).toMatchObject({ code: 'hold_limit_reached', limit: 6, held_tickets: 6 });
      expect(refused.body.detail).toContain("Partner 'vivid' holds 6 tickets in open holds; 1 more would pass its limit of 6.");
      await hold(tevo, second, 4).expect(201);
      await t.http.post(`/v1/holds/${kept}/release`).set('X-Api-Key', vivid).expect(200);
      await hold(vivid, second, 4).expect(201);
      expect(await heldBy('vivid')).toBe(6);
    });

    it('then an identical repeat of a hold placed before the limit was reached is still its 200 replay', async () => {
      const remoteId = await newListing();
      const globalId = uniqueId('hold');
      await hold(tevo, remoteId, 4, globalId).expect(201);
      await hold(tevo, remoteId, 4).expect(201);
      await hold(tevo, remoteId, 4).expect(409);

      await hold(tevo, remoteId, 4, globalId).expect(200);
    });
  });

  describe('when one partner sends many holds at once for more than its limit', () => {
    it('then exactly its limit is held, never more, and the rest are hold_limit_reached', async () => {
      const listings = [await newListing(), await newListing(), await newListing()];
      const before = await heldBy('rush');
      const rush = await t.createKey('partner', 'rush');

      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => hold(rush, listings[i % 3], 1)));

      expect(before).toBe(0);
      expect(answers.filter((answer) => answer.status === 201)).toHaveLength(6);
      expect(answers.filter((answer) => answer.status === 409).map((answer) => answer.body.code)).toEqual(Array(34).fill('hold_limit_reached'));
      expect(await heldBy('rush')).toBe(6);
    });
  });
});
