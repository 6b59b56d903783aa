import { listingInput, uniqueId } from '../support/fixtures';
import { ledgerViolations } from '../support/ledger-invariants';
import { eventually } from '../support/eventually';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const HOLD_TTL_SECONDS = 1;

describe('hold expiry', () => {
  let t: TestGateway;
  let partner: string;
  let inventory: string;

  beforeAll(async () => {
    t = await startTestGateway({ holdTtlSeconds: HOLD_TTL_SECONDS });
    [partner, inventory] = await Promise.all([t.createKey('partner', 'tevo'), t.createKey('inventory')]);
  });
  afterEach(async () => {
    await t.gateway.jobs.holdExpiry.stop();
    expect(await ledgerViolations(t.db.knex)).toEqual([]);
  });
  afterAll(() => t.close());

  async function heldHold(quantity: number, listingQuantity = quantity) {
    const remoteId = uniqueId('listing');
    await t.http.put(`/v1/listings/${remoteId}`).set('X-Api-Key', inventory).send(listingInput({ quantity: listingQuantity })).expect(201);
    const globalId = uniqueId('hold');
    const response = await t.http
      .post('/v1/holds')
      .set('X-Api-Key', partner)
      .send({ global_id: globalId, remote_id: remoteId, quantity })
      .expect(201);
    return { globalId, remoteId, expiresAt: Date.parse(response.body.expires_at) };
  }

  const listing = async (remoteId: string) => (await t.db.knex('listings').where({ remote_id: remoteId }))[0];

  /** Waits until the database's clock has passed the hold's expires_at (no sweep, no request to the gateway). */
  async function untilDue(globalId: string): Promise<void> {
    const due = async () => (await t.db.knex('holds').where({ global_id: globalId }).select(t.db.knex.raw('expires_at <= now() AS due')))[0].due as boolean;
    expect(await eventually(due, Boolean, 30_000)).toBe(true);
  }

  describe('when a hold passes its expiry with no request made', () => {
    it('then the sweeper returns its tickets, not before expires_at', async () => {
      t.gateway.jobs.holdExpiry.start();
      const { globalId, remoteId, expiresAt } = await heldHold(3);

      const after = await eventually(() => listing(remoteId), (l) => l.held === 0, 30_000);

      expect(after).toMatchObject({ available: 3, held: 0 });
      const [hold] = await t.db.knex('holds').where({ global_id: globalId });
      expect(hold).toMatchObject({ status: 'expired', changed_by: 'system:expiry' });
      expect(hold.closed_at.getTime()).toBeGreaterThanOrEqual(expiresAt);
    });
  });

  describe('when an expired hold is invoiced', () => {
    it('then it is a 410 hold_expired, even before any sweep, and nothing is sold', async () => {
      const { globalId, remoteId } = await heldHold(2);
      await untilDue(globalId);

      const response = await t.http
        .post('/v1/invoices')
        .set('X-Api-Key', partner)
        .send({ global_id: globalId, order_id: 'late' })
        .expect(410);

      expect(response.body.code).toBe('hold_expired');
      expect(await listing(remoteId)).toMatchObject({ sold: 0 });
    });
  });

  describe('when a listing is short only because of unswept expired holds', () => {
    it('then a new hold reclaims them first and is granted', async () => {
      const { globalId, remoteId } = await heldHold(2, 2);
      await untilDue(globalId);

      await t.http
        .post('/v1/holds')
        .set('X-Api-Key', partner)
        .send({ global_id: uniqueId('hold'), remote_id: remoteId, quantity: 2 })
        .expect(201);

      const [expired] = await t.db.knex('holds').where({ global_id: globalId });
      expect(expired.status).toBe('expired');
      expect(await listing(remoteId)).toMatchObject({ available: 0, held: 2 });
    });
  });

  describe('when an expired hold is released', () => {
    it('then it answers 200 with status expired and returns the tickets', async () => {
      const { globalId, remoteId } = await heldHold(1);
      await untilDue(globalId);

      const response = await t.http.post(`/v1/holds/${globalId}/release`).set('X-Api-Key', partner).expect(200);

      expect(response.body.status).toBe('expired');
      expect(await listing(remoteId)).toMatchObject({ available: 1, held: 0 });
    });
  });
});
