import { HoldStore, type HoldFilter } from '../../src/features/holds/hold-store';
import { createTestDatabase, postgresOnly, type TestDatabase } from '../support/test-database';

const HOLDS = 1_000_000;
const LISTINGS = 2_000;
const PARTNERS = 20;
const BUDGET_MS = 50;

const describeOnPostgres = postgresOnly('it measures PostgreSQL plans');

jest.setTimeout(300_000);

/**
 * Seeds a million holds (triggers off: this is about the search's plan, not the ledger) and checks that
 * every search shape the box office uses is an index range scan answering within 50 ms.
 */
describeOnPostgres(`hold search over ${HOLDS.toLocaleString('en')} holds`, () => {
  let db: TestDatabase;
  let store: HoldStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.knex.transaction(async (trx) => {
      await trx.raw("SET LOCAL session_replication_role = 'replica'");
      await trx.raw(
        `INSERT INTO listings (remote_id, event_id, event_name, event_venue, event_occurs_at, section, seat_row,
                               quantity, price_amount, price_currency, updated_by)
         SELECT 'L' || i, 'E' || (i % 200), 'Show', 'Hall', now(), 'A', '1', 1000000, 10, 'USD', 'seed'
         FROM generate_series(1, ?) AS i`,
        [LISTINGS],
      );
      await trx.raw(
        `INSERT INTO holds (global_id, partner_id, remote_id, event_id, quantity, status, expires_at, created_at, closed_at, changed_by)
         SELECT 'H' || i, 'P' || (i % ?), 'L' || (1 + i % ?), 'E' || ((1 + i % ?) % 200), 1,
                s.status, t.created + interval '15 minutes', t.created,
                CASE WHEN s.status = 'held' THEN NULL ELSE t.created + interval '5 minutes' END, 'seed'
         FROM generate_series(1, ?) AS i,
              LATERAL (SELECT now() - (i * interval '7 seconds') AS created) t,
              LATERAL (SELECT CASE WHEN i % 50 = 0 THEN 'held' WHEN i % 10 = 0 THEN 'released'
                                   WHEN i % 10 = 1 THEN 'expired' ELSE 'invoiced' END AS status) s`,
        [PARTNERS, LISTINGS, LISTINGS, HOLDS],
      );
    });
    await db.knex.raw('ANALYZE holds');
    store = new HoldStore(db.knex);
  });
  afterAll(() => db?.close());

  /** Runs a search the way the gateway does, capturing its SQL, then EXPLAINs that SQL. */
  async function explain(filter: HoldFilter, after?: [string, string]) {
    let captured: { sql: string; bindings: unknown[] } | undefined;
    const capture = (query: { sql: string; bindings: unknown[] }) => (captured = query);
    db.knex.on('query', capture);
    await store.search(filter, after, 51);
    db.knex.off('query', capture);
    // The driver saw PostgreSQL's $n placeholders; knex.raw wants its own.
    const sql = captured!.sql.replace(/\$\d+/g, '?');
    const { rows } = await db.knex.raw<{ rows: { 'QUERY PLAN': string }[] }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, captured!.bindings as never);
    const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
    return { plan, executionMs: Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1]) };
  }

  const shapes: [string, HoldFilter][] = [
    ['no filter', {}],
    ['status = held (stuck holds)', { status: 'held' }],
    ['one partner', { partnerId: 'P7' }],
    ['one listing', { remoteId: 'L42' }],
    ['one event', { eventId: 'E17' }],
    ['a day of creations', { createdFrom: new Date(Date.now() - 30 * 86_400_000).toISOString(), createdTo: new Date(Date.now() - 29 * 86_400_000).toISOString() }],
  ];

  it.each(shapes)('when searching by %s, then the plan is an index scan within 50 ms', async (_name, filter) => {
    const { plan, executionMs } = await explain(filter);
    expect(plan).toMatch(/Index Scan|Index Only Scan/);
    expect(plan).not.toMatch(/Seq Scan|Sort Method/);
    expect(executionMs).toBeLessThan(BUDGET_MS);
  });

  it('when paging deep with a cursor, then the next page is still an index range scan within 50 ms', async () => {
    const page = await store.search({ partnerId: 'P3' }, undefined, 1000);
    const { plan, executionMs } = await explain({ partnerId: 'P3' }, page[page.length - 1].position);
    expect(plan).toMatch(/Index Cond: .*partner_id.*ROW\(created_at, global_id\) < ROW/s);
    expect(executionMs).toBeLessThan(BUDGET_MS);
    process.stdout.write(`\nEXPLAIN of a partner's page after 1000 holds:\n${plan}\n`);
  });
});
