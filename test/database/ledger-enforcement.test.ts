import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * The ledger invariants hold even for SQL that bypasses the gateway's code: these statements are what a
 * careless script or operator might run, and the database must refuse each one.
 */
describe('the database enforces the ledger invariants', () => {
  let db: TestDatabase;
  let knex: Knex;

  beforeAll(async () => {
    db = await createTestDatabase();
    knex = db.knex;
    await knex.raw(`
      INSERT INTO listings (remote_id, event_id, event_name, event_venue, event_occurs_at, section, seat_row,
                            quantity, price_amount, price_currency, updated_by)
      VALUES ('L1', 'E1', 'Hamlet', 'Main Stage', now(), 'A', '1', 4, 10, 'USD', 'test')`);
    await knex.raw(`
      INSERT INTO holds (global_id, partner_id, remote_id, event_id, quantity, expires_at, changed_by)
      VALUES ('H1', 'tevo', 'L1', 'E1', 3, now() + interval '1 hour', 'test')`);
  });
  afterAll(() => db.close());

  const refused = (sql: string) => expect(knex.raw(sql)).rejects.toThrow();

  it('when a hold is placed, then the counters move and the ledger records it in the same statement', async () => {
    const [listing] = await knex('listings').where({ remote_id: 'L1' });
    expect(listing).toMatchObject({ quantity: 4, held: 3, sold: 0, available: 1 });
    const entries = await knex('ledger_entries').where({ remote_id: 'L1' }).orderBy('id');
    expect(entries.map((e) => [e.kind, e.d_quantity, e.d_held, e.d_sold])).toEqual([
      ['stock', 4, 0, 0],
      ['hold', 0, 3, 0],
    ]);
  });

  it('when a hold would oversell, then it is refused', () =>
    refused(`INSERT INTO holds (global_id, partner_id, remote_id, event_id, quantity, expires_at, changed_by)
             VALUES ('H2', 'tevo', 'L1', 'E1', 2, now() + interval '1 hour', 'test')`));

  it('when quantity drops below held + sold, then it is refused', () =>
    refused(`UPDATE listings SET quantity = 2 WHERE remote_id = 'L1'`));

  it('when held or sold are set directly, then it is refused', async () => {
    await refused(`UPDATE listings SET held = 0 WHERE remote_id = 'L1'`);
    await refused(`UPDATE listings SET sold = 1 WHERE remote_id = 'L1'`);
  });

  it('when available is set directly, then it is refused (it is generated)', () =>
    refused(`UPDATE listings SET available = 4 WHERE remote_id = 'L1'`));

  it('when a ledger entry is changed, removed or truncated, then it is refused', async () => {
    await refused(`UPDATE ledger_entries SET d_held = 0`);
    await refused(`DELETE FROM ledger_entries`);
    await refused(`TRUNCATE ledger_entries`);
  });

  it('when a hold is deleted, resized or moved to another listing, then it is refused', async () => {
    await refused(`DELETE FROM holds WHERE global_id = 'H1'`);
    await refused(`UPDATE holds SET quantity = 1 WHERE global_id = 'H1'`);
    await refused(`UPDATE holds SET remote_id = 'L2' WHERE global_id = 'H1'`);
  });

  it('when a hold names no listing, then it is refused', () =>
    refused(`INSERT INTO holds (global_id, partner_id, remote_id, event_id, quantity, expires_at, changed_by)
             VALUES ('H9', 'tevo', 'no-such-listing', 'E1', 1, now() + interval '1 hour', 'test')`));

  it('when a listing is deleted or truncated, then it is refused', async () => {
    await refused(`DELETE FROM listings WHERE remote_id = 'L1'`);
    await refused(`TRUNCATE listings CASCADE`);
  });

  it('when a global_id is reused, then it is refused', () =>
    refused(`INSERT INTO holds (global_id, partner_id, remote_id, event_id, quantity, expires_at, changed_by)
             VALUES ('H1', 'tevo', 'L1', 'E1', 1, now() + interval '1 hour', 'test')`));

  it('when a hold is invoiced without an invoice and deliveries, then the commit is refused', () =>
    refused(`UPDATE holds SET status = 'invoiced', closed_at = now() WHERE global_id = 'H1'`));

  it('when a closed hold is reopened or closed again differently, then it is refused', async () => {
    await knex.raw(`UPDATE holds SET status = 'released', closed_at = now() WHERE global_id = 'H1'`);
    await refused(`UPDATE holds SET status = 'held', closed_at = NULL WHERE global_id = 'H1'`);
    await refused(`UPDATE holds SET status = 'expired' WHERE global_id = 'H1'`);
    const [listing] = await knex('listings').where({ remote_id: 'L1' });
    expect(listing).toMatchObject({ held: 0, available: 4 });
  });
});
