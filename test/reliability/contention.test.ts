import type { AddressInfo } from 'node:net';
import { listingInput, uniqueId } from '../support/fixtures';
import { ledgerViolations } from '../support/ledger-invariants';
import { postgresOnly } from '../support/test-database';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const PARTNERS = 20;
const LISTINGS = 10;
const ATTEMPTS = 2_000;

const describeOnPostgres = postgresOnly('it needs PostgreSQL: PGlite runs one statement at a time');

jest.setTimeout(120_000);

describeOnPostgres(`${ATTEMPTS} concurrent holds from ${PARTNERS} partners on ${LISTINGS} small listings`, () => {
  let t: TestGateway;
  let base: string;
  let partnerKeys: string[];
  let inventory: string;

  beforeAll(async () => {
    // Correctness under contention, not latency: a loaded machine must not turn slow holds into deadline refusals.
    // Nor may the limits meant for abuse refuse a storm the suite sends on purpose from one address.
    const generous = 1_000_000;
    const rateLimits = { windowMs: 10_000, perAddress: generous, perRole: { partner: generous, inventory: generous, staff: generous, monitor: generous, admin: generous } };
    t = await startTestGateway({ poolMax: 20, requestDeadlineMs: 60_000, rateLimits });
    base = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
    inventory = await t.createKey('inventory');
    partnerKeys = await Promise.all(Array.from({ length: PARTNERS }, (_, i) => t.createKey('partner', `partner-${i}`)));
  });
  afterAll(() => t.close());

  async function listings(quantities: number[]): Promise<string[]> {
    const ids = quantities.map(() => uniqueId('contended'));
    const response = await t.http
      .post('/v1/listings/batch')
      .set('X-Api-Key', inventory)
      .send({ listings: ids.map((remote_id, i) => ({ remote_id, ...listingInput({ quantity: quantities[i] }) })) })
      .expect(200);
    expect(response.body.results.every((r: { status: number }) => r.status === 201)).toBe(true);
    return ids;
  }

  /** Fires every attempt at once over its own connection; answers each status and quantity asked. */
  function storm(ids: string[], quantityOf: (i: number) => number) {
    return Promise.all(
      Array.from({ length: ATTEMPTS }, async (_, i) => {
        const quantity = quantityOf(i);
        const response = await fetch(`${base}/v1/holds`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Api-Key': partnerKeys[i % PARTNERS] },
          body: JSON.stringify({ global_id: uniqueId('storm'), remote_id: ids[i % ids.length], quantity }),
        });
        const body = (await response.json()) as { code?: string };
        return { status: response.status, code: body.code, quantity, remoteId: ids[i % ids.length] };
      }),
    );
  }

  it('when every attempt asks for one ticket, then exactly the supply is granted and the rest are told insufficient_inventory', async () => {
    const quantities = Array.from({ length: LISTINGS }, (_, i) => 5 + i * 3);
    const ids = await listings(quantities);

    const answers = await storm(ids, () => 1);

    const granted = answers.filter((a) => a.status === 201).length;
    expect(granted).toBe(quantities.reduce((a, b) => a + b, 0));
    expect(answers.filter((a) => a.status !== 201).every((a) => a.status === 409 && a.code === 'insufficient_inventory')).toBe(true);
    const rows = await t.db.knex('listings').whereIn('remote_id', ids);
    expect(rows.every((row) => row.available === 0 && row.held === row.quantity)).toBe(true);
    expect(await ledgerViolations(t.db.knex)).toEqual([]);
  });

  it('when attempts ask for one to four tickets under split rules, then nothing is oversold and counters equal a recount of the ledger', async () => {
    const quantities = Array.from({ length: LISTINGS }, (_, i) => 8 + i * 2);
    const ids = await listings(quantities);

    const answers = await storm(ids, (i) => 1 + (i % 4));

    for (const id of ids) {
      const row = await t.db.knex('listings').where({ remote_id: id }).first();
      const grantedHere = answers.filter((a) => a.status === 201 && a.remoteId === id).reduce((sum, a) => sum + a.quantity, 0);
      expect({ id, held: row.held, available: row.available + row.held }).toEqual({ id, held: grantedHere, available: row.quantity });
      expect(row.available).toBeLessThan(4);
    }
    expect(answers.filter((a) => ![201, 409].includes(a.status)).map((a) => `${a.status} ${a.code}`)).toEqual([]);
    expect(await ledgerViolations(t.db.knex)).toEqual([]);
  });
});
