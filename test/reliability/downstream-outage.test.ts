import type { AddressInfo } from 'node:net';
import { listingInput, uniqueId } from '../support/fixtures';
import { eventually } from '../support/eventually';
import { ledgerViolations } from '../support/ledger-invariants';
import { MAPPED_LISTING } from '../support/sales';
import { postgresOnly } from '../support/test-database';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const INVOICES = 2_000;
const CONCURRENCY = 16;
const SLO_MS = 5_000;

const describeOnPostgres = postgresOnly('a 2000-invoice load is a PostgreSQL workload');

jest.setTimeout(480_000);

describeOnPostgres(`Tessitura down for the whole of a ${INVOICES}-invoice load`, () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({ simulators: true, poolMax: 20 });
  });
  afterAll(() => t.close());

  it('then every invoice answers 201 within the SLO, and once Tessitura is back the backlog drains with each order arriving once', async () => {
    const base = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
    const [partner, inventory, monitor] = await Promise.all([t.createKey('partner', 'tevo'), t.createKey('inventory'), t.createKey('monitor')]);
    const listings = Array.from({ length: 5 }, () => uniqueId('outage'));
    await t.http
      .post('/v1/listings/batch')
      .set('X-Api-Key', inventory)
      .send({
        listings: listings.map((remote_id, i) => ({
          remote_id,
          ...listingInput({ quantity: INVOICES, ...MAPPED_LISTING, tessitura: { performance_id: 100 + i, zone_id: 1, price_type: 1 } }),
        })),
      })
      .expect(200);
    t.tessitura!.faults.goDown();

    const post = async (path: string, body: unknown) => {
      const started = performance.now();
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Api-Key': partner },
        body: JSON.stringify(body),
      });
      return { status: response.status, ms: performance.now() - started };
    };
    const invoices: { globalId: string; status: number; ms: number }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < INVOICES) {
          const i = next++;
          const globalId = `outage-${i}`;
          expect((await post('/v1/holds', { global_id: globalId, remote_id: listings[i % listings.length], quantity: 1 })).status).toBe(201);
          invoices.push({ globalId, ...(await post('/v1/invoices', { global_id: globalId, order_id: `order-${i}` })) });
        }
      }),
    );

    expect(invoices.filter((invoice) => invoice.status !== 201)).toEqual([]);
    const slowest = Math.max(...invoices.map((invoice) => invoice.ms));
    expect(slowest).toBeLessThan(SLO_MS);
    expect(t.gateway.outbox.targets.get('tessitura/sale')!.breakerState()).not.toBe('closed');
    expect(t.tessitura!.state.orders()).toHaveLength(0);

    t.tessitura!.faults.comeUp();
    const undelivered = () => t.db.knex('deliveries').whereNot({ status: 'delivered' }).count({ n: '*' }).first();
    expect(Number((await eventually(undelivered, (row) => Number(row?.n) === 0, 360_000, 500))?.n)).toBe(0);

    const tessitura = t.tessitura!.state.orderCountsByKey();
    const salesvu = t.salesvu!.state.orderCountsByKey();
    expect(invoices.filter(({ globalId }) => tessitura[`tg-${globalId}`] !== 1 || salesvu[`tg-${globalId}`] !== 1)).toEqual([]);
    const metrics = (await t.http.get('/metrics').set('X-Api-Key', monitor).expect(200)).text;
    for (const state of ['open', 'half_open', 'closed']) {
      expect(metrics).toMatch(new RegExp(`^ticket_gateway_breaker_transitions_total\\{target="tessitura",state="${state}"\\} [1-9]`, 'm'));
    }
    expect(metrics).toMatch(/^ticket_gateway_breaker_state\{target="tessitura"\} 0$/m);
    expect(await ledgerViolations(t.db.knex)).toEqual([]);
    process.stdout.write(`\noutage: ${INVOICES} invoices, slowest answer ${slowest.toFixed(0)} ms while Tessitura was down\n`);
  });
});
