import { listingInput, uniqueId } from '../support/fixtures';
import { ledgerViolations } from '../support/ledger-invariants';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const REASON = 'The buyer asked to cancel.';
const CONCURRENT_CANCELLATIONS = 40;

describe('cancellations', () => {
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

  const cancel = (globalId: string, body: object, key = partner) =>
    t.http.post(`/v1/invoices/${encodeURIComponent(globalId)}/cancellation`).set('X-Api-Key', key).send(body);
  const listing = async (remoteId: string) => (await t.http.get(`/v1/listings/${remoteId}`).set('X-Api-Key', inventory).expect(200)).body;
  const hold = async (globalId: string) => (await t.http.get(`/v1/holds/${globalId}`).set('X-Api-Key', staff).expect(200)).body;
  const cancelEntries = (globalId: string) => t.db.knex('ledger_entries').where({ global_id: globalId, kind: 'cancel' });

  /** A listing of 6 with a hold of 2 on it; the event is in 2027 unless `occursAt` says otherwise. */
  async function heldHold(occursAt = '2027-03-12T19:30:00-05:00'): Promise<{ globalId: string; remoteId: string }> {
    const remoteId = uniqueId('listing');
    const event = { id: 'evt-hamlet-0312', name: 'Hamlet', venue: 'Main Stage', occurs_at: occursAt };
    await t.http.put(`/v1/listings/${remoteId}`).set('X-Api-Key', inventory).send(listingInput({ quantity: 6, event })).expect(201);
    const globalId = uniqueId('hold');
    await t.http.post('/v1/holds').set('X-Api-Key', partner).send({ global_id: globalId, remote_id: remoteId, quantity: 2 }).expect(201);
    return { globalId, remoteId };
  }

  async function invoicedHold(occursAt?: string): Promise<{ globalId: string; remoteId: string; orderId: string }> {
    const { globalId, remoteId } = await heldHold(occursAt);
    const orderId = `ORD-${globalId}`;
    await t.http.post('/v1/invoices').set('X-Api-Key', partner).send({ global_id: globalId, order_id: orderId }).expect(201);
    return { globalId, remoteId, orderId };
  }

  /** What a refused cancellation must leave as it was: the hold, its listing, its ledger, its deliveries. */
  async function stateOf(globalId: string, remoteId: string) {
    const knex = t.db.knex;
    return {
      listing: await listing(remoteId),
      hold: await knex('holds').where({ global_id: globalId }).first(),
      ledger: await knex('ledger_entries').where({ remote_id: remoteId }).orderBy('id'),
      deliveries: await knex('deliveries').where({ global_id: globalId }).orderBy('id'),
      cancellations: await knex('cancellations').where({ global_id: globalId }),
    };
  }

  describe('when a partner cancels its own invoiced sale', () => {
    it('then it answers 201, the tickets are back on sale, a cancel entry records it, and the unsent deliveries are withdrawn', async () => {
      const { globalId, remoteId, orderId } = await invoicedHold();

      const response = await cancel(globalId, { reason: REASON }).expect(201);

      expect(response.body).toEqual({
        global_id: globalId,
        order_id: orderId,
        status: 'cancelled',
        cancelled_at: expect.any(String),
        reason: REASON,
        restocked: true,
        deliveries: [
          { target: 'tessitura', kind: 'sale', status: 'withdrawn' },
          { target: 'salesvu', kind: 'sale', status: 'withdrawn' },
        ],
      });
      expect(response.headers['idempotent-replayed']).toBeUndefined();
      expect(await listing(remoteId)).toMatchObject({ quantity: 6, available: 6, held: 0, sold: 0 });
      const entries = await cancelEntries(globalId);
      expect(entries.map((e) => [e.d_quantity, e.d_held, e.d_sold])).toEqual([[0, 0, -2]]);
      expect(await t.db.knex('cancellations').where({ global_id: globalId }).first()).toMatchObject({
        reason: REASON,
        restocked: true,
        cancelled_by: expect.stringMatching(/^partner-\d+#/),
      });
    });

    it('then the identical repeat answers 200 with the same cancellation and changes nothing', async () => {
      const { globalId, remoteId } = await invoicedHold();
      const first = await cancel(globalId, { reason: REASON }).expect(201);
      const before = await stateOf(globalId, remoteId);

      const repeat = await cancel(globalId, { reason: REASON, restock: true }).expect(200);

      expect(repeat.body).toEqual(first.body);
      expect(repeat.headers['idempotent-replayed']).toBe('true');
      expect(await stateOf(globalId, remoteId)).toEqual(before);
    });

    it('then the hold reads cancelled with its cancellation and cancel entry, and a search by status finds it', async () => {
      const { globalId } = await invoicedHold();
      const { body: cancellation } = await cancel(globalId, { reason: REASON }).expect(201);

      const story = await hold(globalId);

      expect(story).toMatchObject({
        status: 'cancelled',
        invoice: { status: 'cancelled', cancellation: { cancelled_at: cancellation.cancelled_at, reason: REASON, restocked: true } },
      });
      expect(story.timeline.map((e: { kind: string }) => e.kind)).toEqual(['hold', 'invoice', 'cancel']);
      const search = await t.http.get('/v1/holds').query({ status: 'cancelled', limit: 200 }).set('X-Api-Key', staff).expect(200);
      expect(search.body.data.map((h: { global_id: string }) => h.global_id)).toContain(globalId);
      const ownView = await t.http.get(`/v1/holds/${globalId}`).set('X-Api-Key', partner).expect(200);
      expect(ownView.body.status).toBe('cancelled');
    });

    it('then repeating the invoice answers 200 with the invoice, cancelled; releasing it is a 409 already_invoiced', async () => {
      const { globalId, orderId } = await invoicedHold();
      await cancel(globalId, { reason: REASON }).expect(201);

      const invoice = await t.http.post('/v1/invoices').set('X-Api-Key', partner).send({ global_id: globalId, order_id: orderId }).expect(200);
      const release = await t.http.post(`/v1/holds/${globalId}/release`).set('X-Api-Key', partner).expect(409);

      expect(invoice.body).toMatchObject({ status: 'cancelled', cancellation: { reason: REASON, restocked: true } });
      expect(release.body.code).toBe('already_invoiced');
    });

    it('then a repeat with another reason is a 409 cancellation_conflict, and the first cancellation stands', async () => {
      const { globalId, remoteId } = await invoicedHold();
      await cancel(globalId, { reason: REASON }).expect(201);
      const before = await stateOf(globalId, remoteId);

      const otherReason = await cancel(globalId, { reason: 'Changed my mind.' }).expect(409);
      const noRestock = await cancel(globalId, { reason: REASON, restock: false }, staff).expect(409);

      expect([otherReason.body.code, noRestock.body.code]).toEqual(['cancellation_conflict', 'cancellation_conflict']);
      expect(await stateOf(globalId, remoteId)).toEqual(before);
    });
  });

  describe('when staff cancel a sale without restocking (a cancelled performance)', () => {
    it('then the tickets leave the listing: quantity and sold drop, available is unchanged', async () => {
      const { globalId, remoteId } = await invoicedHold();
      expect(await listing(remoteId)).toMatchObject({ quantity: 6, available: 4, sold: 2 });

      const response = await cancel(globalId, { reason: 'Performance cancelled.', restock: false }, staff).expect(201);

      expect(response.body).toMatchObject({ status: 'cancelled', restocked: false });
      expect(await listing(remoteId)).toMatchObject({ quantity: 4, available: 4, held: 0, sold: 0 });
      const entries = await cancelEntries(globalId);
      expect(entries.map((e) => [e.d_quantity, e.d_held, e.d_sold])).toEqual([[-2, 0, -2]]);
    });
  });

  describe('when a partner asks not to restock', () => {
    it('then it is a 403 restock_forbidden and nothing changes', async () => {
      const { globalId, remoteId } = await invoicedHold();
      const before = await stateOf(globalId, remoteId);

      const response = await cancel(globalId, { reason: REASON, restock: false }).expect(403);

      expect(response.body.code).toBe('restock_forbidden');
      expect(await stateOf(globalId, remoteId)).toEqual(before);
    });
  });

  describe('when the hold is not the caller’s, or not there', () => {
    it("then another partner's sale is a 404 hold_not_found and stays sold", async () => {
      const { globalId, remoteId } = await invoicedHold();
      const before = await stateOf(globalId, remoteId);

      const response = await cancel(globalId, { reason: REASON }, otherPartner).expect(404);

      expect(response.body.code).toBe('hold_not_found');
      expect(await stateOf(globalId, remoteId)).toEqual(before);
    });

    it('then an unknown global_id is a 404 hold_not_found', async () => {
      expect((await cancel(uniqueId('never-held'), { reason: REASON }).expect(404)).body.code).toBe('hold_not_found');
    });
  });

  describe('when nothing was sold', () => {
    /** Moves a hold's expiry into the past (a test-only write: the holds guard forbids changing `expires_at`). */
    const backdate = (globalId: string) =>
      t.db.knex.transaction(async (trx) => {
        await trx.raw('SET LOCAL session_replication_role = replica');
        await trx.raw(`UPDATE holds SET expires_at = now() - interval '1 second' WHERE global_id = ?`, [globalId]);
      });

    it.each([
      ['held', async () => (await heldHold()).globalId],
      ['held past its expiry', async () => {
        const { globalId } = await heldHold();
        await backdate(globalId);
        return globalId;
      }],
      ['released', async () => {
        const { globalId } = await heldHold();
        await t.http.post(`/v1/holds/${globalId}/release`).set('X-Api-Key', partner).expect(200);
        return globalId;
      }],
      ['expired', async () => {
        const { globalId } = await heldHold();
        await backdate(globalId);
        await t.gateway.jobs.holdExpiry.runNow();
        expect((await hold(globalId)).status).toBe('expired');
        return globalId;
      }],
    ])('then a hold %s is a 409 not_invoiced and nothing changes', async (_status, make) => {
      const globalId = await make();
      const remoteId = (await hold(globalId)).remote_id;
      const before = await stateOf(globalId, remoteId);

      for (const key of [partner, staff]) {
        const response = await cancel(globalId, { reason: REASON }, key).expect(409);
        expect(response.body.code).toBe('not_invoiced');
      }
      expect(await stateOf(globalId, remoteId)).toEqual(before);
    });
  });

  describe('when the event has started', () => {
    it('then a partner is refused with 409 event_started and nothing changes; staff may still cancel', async () => {
      const { globalId, remoteId } = await invoicedHold('2020-03-12T19:30:00-05:00');
      const before = await stateOf(globalId, remoteId);

      const refused = await cancel(globalId, { reason: REASON }).expect(409);
      expect(refused.body.code).toBe('event_started');
      expect(await stateOf(globalId, remoteId)).toEqual(before);

      const cancelled = await cancel(globalId, { reason: 'Refund granted by the box office.' }, staff).expect(201);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', restocked: true });
      expect(await listing(remoteId)).toMatchObject({ available: 6, sold: 0 });
    });

    it('then a partner repeating an earlier cancellation still gets 200', async () => {
      const { globalId } = await invoicedHold('2020-03-12T19:30:00-05:00');
      await cancel(globalId, { reason: REASON }, staff).expect(201);

      await cancel(globalId, { reason: REASON }).expect(200);
    });
  });

  describe(`when ${CONCURRENT_CANCELLATIONS} identical cancellations race`, () => {
    it('then exactly one is 201, the rest 200 with the same cancellation, and there is one cancel entry', async () => {
      const { globalId, remoteId } = await invoicedHold();

      const responses = await Promise.all(Array.from({ length: CONCURRENT_CANCELLATIONS }, () => cancel(globalId, { reason: REASON })));

      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([...Array(CONCURRENT_CANCELLATIONS - 1).fill(200), 201].sort());
      const created = responses.find((r) => r.status === 201)!;
      for (const response of responses) expect(response.body).toEqual(created.body);
      expect(await cancelEntries(globalId)).toHaveLength(1);
      expect(await listing(remoteId)).toMatchObject({ available: 6, sold: 0 });
    });
  });

  describe('when the body is not a valid cancellation', () => {
    it.each([
      ['an empty reason', { reason: '' }],
      ['a reason of 501 characters', { reason: 'x'.repeat(501) }],
      ['a reason with a lone surrogate', { reason: 'Refund \ud83d' }],
      ['a reason with a control character', { reason: 'Refund\u0007' }],
      ['no reason', { restock: true }],
      ['restock as text', { reason: REASON, restock: 'false' }],
      ['an unknown field', { reason: REASON, refund: true }],
    ])('then %s is a 400 validation_failed and nothing changes', async (_case, body) => {
      const { globalId, remoteId } = await invoicedHold();
      const before = await stateOf(globalId, remoteId);

      const response = await cancel(globalId, body, staff).expect(400);

      expect(response.body.code).toBe('validation_failed');
      expect(await stateOf(globalId, remoteId)).toEqual(before);
    });

    it('then a reason of 500 characters, emoji included, is accepted', async () => {
      const { globalId } = await invoicedHold();
      const reason = `${'x'.repeat(499)}🎭`;

      expect((await cancel(globalId, { reason }).expect(201)).body.reason).toBe(reason);
    });
  });
});
