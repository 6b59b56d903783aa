import type { Knex } from 'knex';
import type { HoldStatus } from '../holds/hold';

const TABLE = 'cancellations';

/** A sale's cancellation as recorded. */
export type RecordedCancellation = { cancelled_at: string; reason: string; restocked: boolean };

/** What deciding a cancellation needs, read while the hold's row is locked. */
export type CancellationContext = {
  partner_id: string;
  status: HoldStatus;
  /** The invoice's order id; null when the hold was never invoiced. */
  order_id: string | null;
  /** Whether the event, as sold (the invoice's snapshot of the listing), has begun. */
  event_started: boolean;
  cancellation?: RecordedCancellation;
};

export type Cancelling = { globalId: string; reason: string; restock: boolean; actor: string };

type ContextRow = Omit<CancellationContext, 'cancellation'> & { cancelled_at: Date | null; reason: string | null; restocked: boolean | null };

const toRecorded = (row: { cancelled_at: Date; reason: string; restocked: boolean }): RecordedCancellation => ({
  cancelled_at: row.cancelled_at.toISOString(),
  reason: row.reason,
  restocked: row.restocked,
});

export class CancellationStore {
  constructor(private readonly db: Knex) {}

  transaction<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /**
   * Locks the hold's row until the transaction ends, so that one transaction at a time decides whether to
   * cancel it, then reads what it must decide on; undefined when there is no such hold. The read is a
   * statement of its own, after the lock: it sees what a transaction that held the lock before committed.
   * FOR NO KEY UPDATE (the lock the hold's UPDATE takes anyway) still lets rows that reference the hold be
   * written meanwhile: a dispatcher recording a delivery's outcome (a partner event, a return) never waits
   * for a cancellation that waits for that delivery's row.
   */
  async lockForCancellation(trx: Knex.Transaction, globalId: string): Promise<CancellationContext | undefined> {
    const locked = await trx('holds').select('global_id').where({ global_id: globalId }).forNoKeyUpdate().first();
    if (!locked) return undefined;
    const { rows } = await trx.raw<{ rows: ContextRow[] }>(
      `SELECT h.partner_id, h.status, i.order_id, coalesce(i.event_occurs_at <= now(), false) AS event_started,
              c.cancelled_at, c.reason, c.restocked
       FROM holds h
       LEFT JOIN invoices i USING (global_id)
       LEFT JOIN ${TABLE} c USING (global_id)
       WHERE h.global_id = ?`,
      [globalId],
    );
    const { cancelled_at, reason, restocked, ...context } = rows[0];
    return cancelled_at === null ? context : { ...context, cancellation: toRecorded({ cancelled_at, reason: reason as string, restocked: restocked as boolean }) };
  }

  /**
   * Cancels an invoiced hold whose row the transaction has locked: the cancellation is recorded, then the
   * hold moves to `cancelled`, and its trigger moves the counters (restocked or not, as recorded) and
   * writes the `cancel` ledger entry.
   */
  async cancel(trx: Knex.Transaction, c: Cancelling): Promise<RecordedCancellation> {
    const [row] = await trx(TABLE)
      .insert({ global_id: c.globalId, reason: c.reason, restocked: c.restock, cancelled_by: c.actor })
      .returning<{ cancelled_at: Date; reason: string; restocked: boolean }[]>(['cancelled_at', 'reason', 'restocked']);
    const moved = await trx('holds').where({ global_id: c.globalId, status: 'invoiced' }).update({ status: 'cancelled', changed_by: c.actor });
    if (moved !== 1) throw new Error(`hold ${c.globalId} was not invoiced when it was cancelled`);
    return toRecorded(row);
  }
}
