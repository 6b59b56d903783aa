import { MAPPED_LISTING, invoicedSale, saleKeys, type SaleKeys, settledStory } from '../support/sales';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

describe('what a partner is shown of the venue', () => {
  let t: TestGateway;
  let keys: SaleKeys;

  beforeAll(async () => {
    t = await startTestGateway({ simulators: true });
    keys = await saleKeys(t);
  });
  afterAll(() => t.close());

  const read = (path: string, key: string) => t.http.get(path).set('X-Api-Key', key).expect(200);

  describe('when a partner reads its delivered sale', () => {
    it('then it sees status, order ids and seats, but no session key, store id, errors, history or staff key names', async () => {
      t.tessitura!.faults.failNext({ status: 500, operation: 'createBusinessFacingSession' });
      const { globalId } = await invoicedSale(t, keys);
      const staffView = await settledStory(t, keys, globalId);
      await t.http.post(`/v1/holds/${globalId}/release`).set('X-Api-Key', keys.staff).expect(409);

      const partnerView = (await read(`/v1/holds/${globalId}`, keys.partner)).body;

      expect(staffView.deliveries[0].acknowledgment).toMatchObject({ session_key: expect.any(String) });
      expect(staffView.deliveries[1].acknowledgment).toMatchObject({ store_id: expect.any(String) });
      expect(staffView.deliveries[0].history.map((e) => e.kind)).toEqual(['attempt_failed', 'delivered']);
      expect(partnerView.deliveries).toEqual([
        expect.objectContaining({ target: 'tessitura', status: 'delivered', last_error: null, acknowledgment: { order_id: expect.any(Number) } }),
        expect.objectContaining({
          target: 'salesvu',
          status: 'delivered',
          last_error: null,
          acknowledgment: { order_id: expect.any(Number), tessitura_order_id: staffView.deliveries[0].acknowledgment!.order_id },
        }),
      ]);
      expect(partnerView.deliveries.some((d: object) => 'history' in d)).toBe(false);
      expect(partnerView.seats).toHaveLength(2);
      expect(JSON.stringify(partnerView)).not.toMatch(/session_key|store_id|staff-|inventory-/);
    });

    it("then the timeline names its own keys and system jobs, and the venue's keys as 'venue'", async () => {
      const { globalId, remoteId } = await invoicedSale(t, keys);
      const staffKey = await t.createKey('staff');
      const other = `${globalId}-b`;
      await t.http.post('/v1/holds').set('X-Api-Key', keys.partner).send({ global_id: other, remote_id: remoteId, quantity: 2 }).expect(201);
      await t.http.post(`/v1/holds/${other}/release`).set('X-Api-Key', staffKey).expect(200);

      const [own, released] = await Promise.all([read(`/v1/holds/${globalId}`, keys.partner), read(`/v1/holds/${other}`, keys.partner)]);
      const staffSees = await read(`/v1/holds/${other}`, keys.staff);

      expect(own.body.timeline.map((e: { actor: string }) => e.actor)).toEqual([expect.stringMatching(/^partner-\d+#/), expect.stringMatching(/^partner-\d+#/)]);
      expect(released.body.timeline.map((e: { kind: string; actor: string }) => [e.kind, e.actor])).toEqual([
        ['hold', expect.stringMatching(/^partner-\d+#/)],
        ['release', 'venue'],
      ]);
      expect(staffSees.body.timeline[1].actor).toMatch(/^staff-\d+#/);
    });
  });

  describe('when a partner reads listings', () => {
    it("then the venue's Tessitura and SalesVu mapping is left out, which inventory and staff still see", async () => {
      const { remoteId } = await invoicedSale(t, keys);

      const [partnerOne, partnerPage, staffOne] = await Promise.all([
        read(`/v1/listings/${remoteId}`, keys.partner),
        read('/v1/listings', keys.partner),
        read(`/v1/listings/${remoteId}`, keys.staff),
      ]);

      expect(partnerOne.body).not.toHaveProperty('tessitura');
      expect(partnerOne.body).not.toHaveProperty('salesvu');
      expect(partnerPage.body.data.length).toBeGreaterThan(0);
      expect(partnerPage.body.data.some((listing: object) => 'tessitura' in listing || 'salesvu' in listing)).toBe(false);
      expect(staffOne.body).toMatchObject(MAPPED_LISTING);
    });
  });
});
