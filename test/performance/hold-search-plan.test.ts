import { HoldStore, type HoldFilter } from '../../src/features/holds/hold-store';
import { createTestDatabase, postgresOnly, type TestDatabase } from '../support/test-database';

const HOLDS = 1_000_000;
const LISTINGS = 2_000;
const PARTNERS = 20;
/**
 * Shared buffers (8 kB pages) one page of results may touch: a page of 51 holds reads a few index pages
 * and at most a heap page per hold it looks at (55 at most, as seeded); a sequential scan reads thousands.
 * How long that takes is the bench's to measure, not a test's on a shared machine.
 */
const BUFFER_BUDGET = 200;

const describeOnPostgres = postgresOnly('it measures PostgreSQL plans');

jest.setTimeout(300_000);

/**
 * Seeds a million holds (triggers off: this is about the search's plan, not the ledger) and checks that
 * every search shape the box office uses is a range scan of the index made for it, reading a bounded
 * number of buffers whatever the table's size.
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
    return { plan, buffers: buffersOfTopNode(plan) };
  }

  /** The shared buffers (hit and read) of the plan's top node, which counts its children's too. */
  function buffersOfTopNode(plan: string): number {
    const line = /Buffers: shared ([^\n]*)/.exec(plan)?.[1];
    if (line === undefined) throw new Error(`no buffer counts in the plan:\n${plan}`);
    return ['hit', 'read'].reduce((sum, kind) => sum + Number(new RegExp(`${kind}=(\\d+)`).exec(line)?.[1] ?? 0), 0);
  }

  // Held holds are few: a search by status walks the creation-time index and filters (see the migration that dropped its own index).
  const shapes: [string, string, HoldFilter][] = [
    ['no filter', 'holds_created_idx', {}],
    ['status = held (stuck holds)', 'holds_created_idx', { status: 'held' }],
    ['one partner', 'holds_partner_created_idx', { partnerId: 'P7' }],
    ['one listing', 'holds_listing_created_idx', { remoteId: 'L42' }],
    ['one event', 'holds_event_created_idx', { eventId: 'E17' }],
    [
      'a day of creations',
      'holds_created_idx',
      { createdFrom: new Date(Date.now() - 30 * 86_400_000).toISOString(), createdTo: new Date(Date.now() - 29 * 86_400_000).toISOString() },
    ],
  ];

  it.each(shapes)(`when searching by %s, then the plan is a scan of %s, unsorted, within ${BUFFER_BUDGET} buffers`, async (_name, index, filter) => {
    const { plan, buffers } = await explain(filter);
    expect(plan).toMatch(new RegExp(`Index (Only )?Scan using ${index} on holds`));
    expect(plan).not.toMatch(/Seq Scan|Sort Method/);
    expect(buffers).toBeLessThanOrEqual(BUFFER_BUDGET);
  });

  it(`when paging deep with a cursor, then the next page is still a range scan of the partner's index within ${BUFFER_BUDGET} buffers`, async () => {
    const page = await store.search({ partnerId: 'P3' }, undefined, 1000);
    const { plan, buffers } = await explain({ partnerId: 'P3' }, page[page.length - 1].position);
    expect(plan).toMatch(/Index Scan using holds_partner_created_idx on holds/);
    expect(plan).toMatch(/Index Cond: .*partner_id.*ROW\(created_at, global_id\) < ROW/s);
    expect(plan).not.toMatch(/Seq Scan|Sort Method/);
    expect(buffers).toBeLessThanOrEqual(BUFFER_BUDGET);
    process.stdout.write(`\nEXPLAIN of a partner's page after 1000 holds:\n${plan}\n`);
  });
});
