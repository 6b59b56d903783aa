import type { Knex } from 'knex';
import { ledgerViolations } from '../support/ledger-invariants';
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

  /** The statement fails for the reason given (a constraint's name or a trigger's words), not for a typo in it. */
  const refused = (sql: string, because: string) => expect(knex.raw(sql)).rejects.toThrow(because);
  const OVERSOLD = 'violates check constraint "listings_available_check"';

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
             VALUES ('H2', 'tevo', 'L1', 'E1', 2, now() + interval '1 hour', 'test')`, OVERSOLD));

  it('when quantity drops below held + sold, then it is refused', () =>
    refused(`UPDATE listings SET quantity = 2 WHERE remote_id = 'L1'`, OVERSOLD));

  it('when held or sold are set directly, then it is refused', async () => {
    await refused(`UPDATE listings SET held = 0 WHERE remote_id = 'L1'`, 'held and sold change only through holds (listing L1)');
    await refused(`UPDATE listings SET sold = 1 WHERE remote_id = 'L1'`, 'held and sold change only through holds (listing L1)');
  });

  it('when available is set directly, then it is refused (it is generated)', () =>
    refused(`UPDATE listings SET available = 4 WHERE remote_id = 'L1'`, 'column "available" can only be updated to DEFAULT'));

  it('when a ledger entry is changed, removed or truncated, then it is refused', async () => {
    await refused(`UPDATE ledger_entries SET d_held = 0`, 'ledger_entries is append-only');
    await refused(`DELETE FROM ledger_entries`, 'ledger_entries is append-only');
    await refused(`TRUNCATE ledger_entries`, 'ledger_entries is append-only');
  });

  it('when a hold is deleted, resized or moved to another listing, then it is refused', async () => {
    await refused(`DELETE FROM holds WHERE global_id = 'H1'`, 'holds are never deleted; release them');
    await refused(`UPDATE holds SET quantity = 1 WHERE global_id = 'H1'`, 'hold H1 may change only its status');
    await refused(`UPDATE holds SET remote_id = 'L2' WHERE global_id = 'H1'`, 'hold H1 may change only its status');
  });

  it('when a hold names no listing, then it is refused', () =>
    refused(`INSERT INTO holds (global_id, partner_id, remote_id, event_id, quantity, expires_at, changed_by)
             VALUES ('H9', 'tevo', 'no-such-listing', 'E1', 1, now() + interval '1 hour', 'test')`, 'hold H9 names no listing no-such-listing'));

  it('when a listing is deleted or truncated, then it is refused', async () => {
    await refused(`DELETE FROM listings WHERE remote_id = 'L1'`, 'listings are never deleted');
    await refused(`TRUNCATE listings CASCADE`, 'listings are never deleted');
  });

  it('when a global_id is reused, then it is refused', () =>
    refused(`INSERT INTO holds (global_id, partner_id, remote_id, event_id, quantity, expires_at, changed_by)
             VALUES ('H1', 'tevo', 'L1', 'E1', 1, now() + interval '1 hour', 'test')`, 'violates unique constraint "holds_pkey"'));

  it('when a hold is invoiced without an invoice and deliveries, then the commit is refused', () =>
    refused(`UPDATE holds SET status = 'invoiced', closed_at = now() WHERE global_id = 'H1'`, 'hold H1 cannot be invoiced without an invoice'));

  it('when a closed hold is reopened or closed again differently, then it is refused', async () => {
    await knex.raw(`UPDATE holds SET status = 'released', closed_at = now() WHERE global_id = 'H1'`);
    await refused(`UPDATE holds SET status = 'held', closed_at = NULL WHERE global_id = 'H1'`, 'hold H1 is released and cannot become held');
    await refused(`UPDATE holds SET status = 'expired' WHERE global_id = 'H1'`, 'hold H1 is released and cannot become expired');
    const [listing] = await knex('listings').where({ remote_id: 'L1' });
    expect(listing).toMatchObject({ held: 0, available: 4 });
  });

  describe('cancellations: invoiced -> cancelled, and nothing else', () => {
    /** Holds `quantity` of L2 under `globalId` and invoices it as the invoice statement does: hold, invoice and deliveries together. */
    async function invoicedHold(globalId: string, quantity: number): Promise<void> {
      await knex.raw(`INSERT INTO holds (global_id, partner_id, remote_id, event_id, quantity, expires_at, changed_by)
                      VALUES (?, 'tevo', 'L2', 'E2', ?, now() + interval '1 hour', 'test')`, [globalId, quantity]);
      await knex.transaction(async (trx) => {
        await trx.raw(`UPDATE holds SET status = 'invoiced', closed_at = now(), changed_by = 'test' WHERE global_id = ?`, [globalId]);
        await trx.raw(
          `INSERT INTO invoices (global_id, order_id, partner_id, request_fingerprint, event_id, event_name, event_venue,
                                 event_occurs_at, section, seat_row, price_amount, price_currency)
           SELECT ?, 'ORD', 'tevo', 'fp', event_id, event_name, event_venue, event_occurs_at, section, seat_row, price_amount, price_currency
           FROM listings WHERE remote_id = 'L2'`,
          [globalId],
        );
        await trx.raw(`INSERT INTO deliveries (global_id, target, waits_for, next_attempt_at) VALUES (?, 'tessitura', NULL, now()), (?, 'salesvu', 'tessitura', NULL)`, [globalId, globalId]);
      });
    }

    /** Cancels as the gateway does: the cancellation first (the trigger reads `restocked` from it), then the hold's move. */
    const cancel = (globalId: string, restocked: boolean) =>
      knex.transaction(async (trx) => {
        await trx.raw(`INSERT INTO cancellations (global_id, reason, restocked, cancelled_by) VALUES (?, 'test', ?, 'staff#1')`, [globalId, restocked]);
        await trx.raw(`UPDATE holds SET status = 'cancelled', changed_by = 'staff#1' WHERE global_id = ?`, [globalId]);
      });

    const listing = async () => (await knex('listings').where({ remote_id: 'L2' }).first()) as Record<string, number>;
    const entriesOf = async (globalId: string) =>
      (await knex('ledger_entries').where({ global_id: globalId }).orderBy('id')).map((e) => [e.kind, e.d_quantity, e.d_held, e.d_sold, e.actor]);

    beforeAll(async () => {
      await knex.raw(`
        INSERT INTO listings (remote_id, event_id, event_name, event_venue, event_occurs_at, section, seat_row,
                              quantity, price_amount, price_currency, updated_by)
        VALUES ('L2', 'E2', 'Hamlet', 'Main Stage', now(), 'A', '1', 10, 10, 'USD', 'test')`);
      await invoicedHold('C1', 2);
      await invoicedHold('C2', 3);
      await knex.raw(`INSERT INTO holds (global_id, partner_id, remote_id, event_id, quantity, expires_at, changed_by)
                      VALUES ('C3', 'tevo', 'L2', 'E2', 1, now() + interval '1 hour', 'test')`);
    });
    afterAll(async () => expect(await ledgerViolations(knex)).toEqual([]));

    it('when a hold is cancelled without its cancellation, then it is refused', () =>
      refused(`UPDATE holds SET status = 'cancelled' WHERE global_id = 'C1'`, 'hold C1 cannot be cancelled without its cancellation'));

    it('when a cancellation is recorded but its hold is not cancelled, then the commit is refused', () =>
      refused(`INSERT INTO cancellations (global_id, reason, restocked, cancelled_by) VALUES ('C1', 'test', true, 'test')`,
        'cancellation of C1 must commit with its hold cancelled (hold invoiced)'));

    it('when a held hold is cancelled, then it is refused: only an invoiced hold is', async () => {
      await refused(`UPDATE holds SET status = 'cancelled' WHERE global_id = 'C3'`, 'hold C3 is held and cannot become cancelled');
      await refused(`INSERT INTO cancellations (global_id, reason, restocked, cancelled_by) VALUES ('C3', 'test', true, 'test')`,
        'violates foreign key constraint "cancellations_global_id_fkey"');
    });

    it('when an invoiced hold is cancelled with restock, then sold goes back to available, with its cancel entry', async () => {
      const before = await listing();

      await cancel('C1', true);

      expect(await listing()).toMatchObject({ quantity: before.quantity, held: before.held, sold: before.sold - 2, available: before.available + 2 });
      expect(await entriesOf('C1')).toEqual([
        ['hold', 0, 2, 0, 'test'],
        ['invoice', 0, -2, 2, 'test'],
        ['cancel', 0, 0, -2, 'staff#1'],
      ]);
    });

    it('when one is cancelled without restock, then sold and quantity drop together (available unchanged), in its cancel entry alone', async () => {
      const before = await listing();
      const stockEntries = async () => (await knex('ledger_entries').where({ remote_id: 'L2', kind: 'stock' })).length;
      const stockBefore = await stockEntries();

      await cancel('C2', false);

      expect(await listing()).toMatchObject({ quantity: before.quantity - 3, sold: before.sold - 3, available: before.available });
      expect((await entriesOf('C2')).at(-1)).toEqual(['cancel', -3, 0, -3, 'staff#1']);
      expect(await stockEntries()).toBe(stockBefore);
    });

    it('when a cancelled hold is moved again, then it is refused: it never goes back', async () => {
      for (const status of ['invoiced', 'held', 'released', 'expired']) {
        await refused(`UPDATE holds SET status = '${status}' WHERE global_id = 'C1'`, `hold C1 is cancelled and cannot become ${status}`);
      }
    });

    it('when a cancellation is changed, removed or truncated, then it is refused', async () => {
      await refused(`UPDATE cancellations SET restocked = false WHERE global_id = 'C1'`, 'cancellations are final');
      await refused(`DELETE FROM cancellations WHERE global_id = 'C1'`, 'cancellations are final');
      await refused(`TRUNCATE cancellations`, 'cancellations are final');
    });

    it('when sold and quantity are lowered together directly (a cancellation without a hold), then it is refused', () =>
      refused(`UPDATE listings SET quantity = quantity - 1, sold = sold - 1 WHERE remote_id = 'L2'`, 'held and sold change only through holds (listing L2)'));

    it('when quantity is changed by a statement, then it is still recorded as a stock entry', async () => {
      await knex.raw(`UPDATE listings SET quantity = quantity + 1, updated_by = 'inventory#1' WHERE remote_id = 'L2'`);
      const [last] = await knex('ledger_entries').where({ remote_id: 'L2' }).orderBy('id', 'desc').limit(1);
      expect([last.kind, last.d_quantity, last.actor]).toEqual(['stock', 1, 'inventory#1']);
    });
  });
});
