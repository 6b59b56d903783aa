import { listingInput, uniqueId } from '../support/fixtures';
import { ledgerViolations } from '../support/ledger-invariants';
import { startTestGateway, TestGateway } from '../support/test-gateway';
import { eventually } from '../support/eventually';

describe('forwarding invoices downstream', () => {
  let t: TestGateway;
  let partner: string;
  let inventory: string;
  let staff: string;

  beforeAll(async () => {
    t = await startTestGateway({ simulators: true });
    [partner, inventory, staff] = await Promise.all([t.createKey('partner', 'tevo'), t.createKey('inventory'), t.createKey('staff')]);
  });
  afterEach(async () => {
    t.tessitura!.faults.reset();
    t.salesvu!.faults.reset();
    expect(await ledgerViolations(t.db.knex)).toEqual([]);
  });
  afterAll(() => t.close());

  async function invoicedSale(overrides: Parameters<typeof listingInput>[0] = {}) {
    const remoteId = uniqueId('listing');
    await t.http
      .put(`/v1/listings/${remoteId}`)
      .set('X-Api-Key', inventory)
      .send(listingInput({ quantity: 6, tessitura: { performance_id: 4412, zone_id: 3, price_type: 1 }, salesvu: { product_id: '90817' }, ...overrides }))
      .expect(201);
    const globalId = uniqueId('hold');
    await t.http.post('/v1/holds').set('X-Api-Key', partner).send({ global_id: globalId, remote_id: remoteId, quantity: 2 }).expect(201);
    await t.http.post('/v1/invoices').set('X-Api-Key', partner).send({ global_id: globalId, order_id: `ORD-${globalId}` }).expect(201);
    return { globalId, remoteId };
  }

  const story = async (globalId: string) => (await t.http.get(`/v1/holds/${globalId}`).set('X-Api-Key', staff).expect(200)).body;
  const settled = (globalId: string) =>
    eventually(() => story(globalId), (s) => s.deliveries.every((d: { status: string }) => d.status !== 'pending'), 10_000);

  describe('when a sale is invoiced and both systems are up', () => {
    it('then Tessitura records it, SalesVu records it with Tessitura\'s order id, and both acknowledgments are on the hold', async () => {
      const { globalId } = await invoicedSale();

      const detail = await settled(globalId);

      const [tessitura, salesvu] = detail.deliveries;
      expect(tessitura).toMatchObject({ target: 'tessitura', status: 'delivered', acknowledgment: { order_id: expect.any(Number) } });
      expect(salesvu).toMatchObject({
        target: 'salesvu',
        status: 'delivered',
        acknowledgment: { order_id: expect.any(Number), tessitura_order_id: tessitura.acknowledgment.order_id },
      });
      const key = `tg-${globalId}`;
      expect(t.tessitura!.state.orderCountsByKey()[key]).toBe(1);
      expect(t.salesvu!.state.orderCountsByKey()[key]).toBe(1);
      const order = t.salesvu!.state.orders().find((o) => o.order_id === salesvu.acknowledgment.order_id)!;
      expect(JSON.stringify(order)).toContain(`Tessitura order ${tessitura.acknowledgment.order_id}`);
      expect(order.order_status).toBe('completed');
    });
  });
});
