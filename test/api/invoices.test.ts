import { listingInput, uniqueId } from '../support/fixtures';
import { ledgerViolations } from '../support/ledger-invariants';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

describe('invoices', () => {
  let t: TestGateway;
  let partner: string;
  let otherPartner: string;
  let inventory: string;

  beforeAll(async () => {
    t = await startTestGateway();
    [partner, otherPartner, inventory] = await Promise.all([
      t.createKey('partner', 'tevo'),
      t.createKey('partner', 'vivid'),
      t.createKey('inventory'),
    ]);
  });
  afterEach(async () => expect(await ledgerViolations(t.db.knex)).toEqual([]));
  afterAll(() => t.close());

  async function heldHold(quantity = 2): Promise<{ globalId: string; remoteId: string }> {
    const remoteId = uniqueId('listing');
    await t.http.put(`/v1/listings/${remoteId}`).set('X-Api-Key', inventory).send(listingInput({ quantity: 6 })).expect(201);
    const globalId = uniqueId('hold');
    await t.http.post('/v1/holds').set('X-Api-Key', partner).send({ global_id: globalId, remote_id: remoteId, quantity }).expect(201);
    return { globalId, remoteId };
  }

  const invoice = (body: object, key = partner) => t.http.post('/v1/invoices').set('X-Api-Key', key).send(body);
  const listing = async (remoteId: string) =>
    (await t.http.get(`/v1/listings/${remoteId}`).set('X-Api-Key', inventory).expect(200)).body;

  describe('when a partner invoices its hold', () => {
    it('then the tickets are sold, the sale is kept as sold, and one delivery per sale target is queued in the same transaction', async () => {
      const { globalId, remoteId } = await heldHold(2);
      const customer = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+1 555 0100' };

      const response = await invoice({ global_id: globalId, order_id: 'ORD-1', customer }).expect(201);

      expect(response.body).toEqual({
        global_id: globalId,
        order_id: 'ORD-1',
        remote_id: remoteId,
        quantity: 2,
        status: 'invoiced',
        invoiced_at: expect.any(String),
        deliveries: [
          { target: 'tessitura', status: 'pending' },
          { target: 'salesvu', status: 'pending' },
        ],
      });
      expect(await listing(remoteId)).toMatchObject({ available: 4, held: 0, sold: 2 });
      const deliveries = await t.db.knex('deliveries').where({ global_id: globalId }).orderBy('id');
      expect(deliveries.map((d) => [d.target, d.status, d.waits_for, d.next_attempt_at === null])).toEqual([
        ['tessitura', 'pending', null, false],
        ['salesvu', 'pending', 'tessitura', true],
      ]);
      expect(await t.db.knex('invoices').where({ global_id: globalId }).first()).toMatchObject({
        order_id: 'ORD-1',
        partner_id: 'tevo',
        price_amount: '125.00',
        price_currency: 'USD',
        event_id: 'evt-hamlet-0312',
        customer,
      });
    });
  });

  describe('when the identical invoice is repeated', () => {
    it('then it answers 200 with the same invoice and queues nothing more', async () => {
      const { globalId } = await heldHold();
      const body = { global_id: globalId, order_id: 'ORD-2', customer: { email: 'b@example.com' } };
      const first = await invoice(body).expect(201);

      const repeat = await invoice(body).expect(200);

      expect(repeat.body).toEqual(first.body);
      expect(repeat.headers['idempotent-replayed']).toBe('true');
      expect(await t.db.knex('deliveries').where({ global_id: globalId })).toHaveLength(2);
    });
  });

  describe('when an invoiced hold is invoiced again differently', () => {
    it('then another order_id is a 409 order_id_conflict', async () => {
      const { globalId } = await heldHold();
      await invoice({ global_id: globalId, order_id: 'ORD-3' }).expect(201);

      const response = await invoice({ global_id: globalId, order_id: 'ORD-OTHER' }).expect(409);

      expect(response.body.code).toBe('order_id_conflict');
      expect(response.body.detail).toContain('ORD-3');
    });

    it('then the same order_id with other customer details is a 409 order_id_conflict too', async () => {
      const { globalId } = await heldHold();
      await invoice({ global_id: globalId, order_id: 'ORD-4', customer: { name: 'A' } }).expect(201);

      const response = await invoice({ global_id: globalId, order_id: 'ORD-4', customer: { name: 'B' } }).expect(409);

      expect(response.body.code).toBe('order_id_conflict');
    });
  });

  describe('when the hold cannot be invoiced', () => {
    it('then a released hold is a 409 hold_released and nothing is sold', async () => {
      const { globalId, remoteId } = await heldHold();
      await t.http.post(`/v1/holds/${globalId}/release`).set('X-Api-Key', partner).expect(200);

      const response = await invoice({ global_id: globalId, order_id: 'ORD-5' }).expect(409);

      expect(response.body.code).toBe('hold_released');
      expect(await listing(remoteId)).toMatchObject({ available: 6, sold: 0 });
      expect(await t.db.knex('invoices').where({ global_id: globalId })).toHaveLength(0);
    });

    it('then an unknown hold is a 404 hold_not_found', async () => {
      expect((await invoice({ global_id: 'never-held', order_id: 'ORD-6' }).expect(404)).body.code).toBe('hold_not_found');
    });

    it("then another partner's hold is a 404 and stays held", async () => {
      const { globalId, remoteId } = await heldHold();

      await invoice({ global_id: globalId, order_id: 'ORD-7' }, otherPartner).expect(404);

      expect(await listing(remoteId)).toMatchObject({ held: 2, sold: 0 });
    });
  });
});
