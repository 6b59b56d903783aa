import type { Knex } from 'knex';
import type { DeliveredRecord, MismatchKind, ReconciledTarget, ReconciliationWindow } from './reconciliation';

const DELIVERIES = 'deliveries';
const RUNS = 'reconciliation_runs';

type DeliveredRow = Omit<DeliveredRecord, 'id'> & { id: number | string; position: string };

/** Where a page of delivered deliveries ends: the last one's delivery time (as PostgreSQL wrote it, to the microsecond) and id. */
export type PagePosition = { deliveredAt: string; id: number };

/** A run as recorded: the counts the metrics show. */
export type RecordedRun = {
  window: ReconciliationWindow;
  startedAt: Date;
  actor: string;
  checked: { sales: number; returns: number };
  mismatches: Partial<Record<MismatchKind, number>>;
  unchecked: Partial<Record<ReconciledTarget, number>>;
};

export type LatestRun = Omit<RecordedRun, 'actor' | 'window' | 'startedAt'> & { finishedAt: Date };

type RunRow = { finished_at: Date; checked_sales: number; checked_returns: number; mismatches: LatestRun['mismatches']; unchecked: LatestRun['unchecked'] };

/** The deliveries reconciliation reads, and the runs it records. */
export class ReconciliationStore {
  constructor(private readonly db: Knex) {}

  /**
   * Up to `limit` deliveries to Tessitura or SalesVu delivered in the window after `after`, in the order
   * they were delivered: sales, and returns when `withReturns`. Each comes with the hold's quantity, the
   * sale's acknowledgments it is compared with, and whether the sale's return to the same system was
   * delivered (at any time).
   */
  async deliveredPage(
    window: ReconciliationWindow,
    options: { withReturns: boolean; after?: PagePosition; limit: number },
  ): Promise<{ records: DeliveredRecord[]; last?: PagePosition }> {
    const { where, bindings } = this.selection(window, options);
    const { rows } = await this.db.raw<{ rows: DeliveredRow[] }>(
      `SELECT d.id, d.global_id, d.target, d.kind, d.acknowledgment, h.quantity,
              sale.acknowledgment AS sale_acknowledgment, tess.acknowledgment AS tessitura_acknowledgment,
              EXISTS (SELECT 1 FROM ${DELIVERIES} r
                      WHERE r.global_id = d.global_id AND r.target = d.target AND r.kind = 'return' AND r.status = 'delivered') AS returned,
              d.delivered_at::text AS position
       FROM ${DELIVERIES} d
       JOIN holds h ON h.global_id = d.global_id
       LEFT JOIN ${DELIVERIES} sale ON sale.global_id = d.global_id AND sale.target = d.target AND sale.kind = 'sale'
       LEFT JOIN ${DELIVERIES} tess ON tess.global_id = d.global_id AND tess.target = 'tessitura' AND tess.kind = 'sale'
       WHERE ${where}
       ORDER BY d.delivered_at, d.id
       LIMIT :limit`,
      { ...bindings, limit: options.limit },
    );
    const records = rows.map(({ position: _position, ...row }): DeliveredRecord => ({ ...row, id: Number(row.id) }));
    const lastRow = rows[rows.length - 1];
    return { records, last: lastRow && { deliveredAt: lastRow.position, id: Number(lastRow.id) } };
  }

  /** How many deliveries `deliveredPage` has left to give after `after`, per system and kind. */
  async countDelivered(
    window: ReconciliationWindow,
    options: { withReturns: boolean; after?: PagePosition },
  ): Promise<{ target: ReconciledTarget; kind: DeliveredRecord['kind']; deliveries: number }[]> {
    const { where, bindings } = this.selection(window, options);
    const { rows } = await this.db.raw<{ rows: { target: ReconciledTarget; kind: DeliveredRecord['kind']; deliveries: number }[] }>(
      `SELECT d.target, d.kind, count(*)::int AS deliveries FROM ${DELIVERIES} d WHERE ${where} GROUP BY 1, 2`,
      bindings,
    );
    return rows;
  }

  /** The deliveries a run reads: to Tessitura or SalesVu, delivered in the window, sales (and returns), after a position. */
  private selection(window: ReconciliationWindow, options: { withReturns: boolean; after?: PagePosition }) {
    return {
      where: `d.status = 'delivered' AND d.target IN ('tessitura', 'salesvu') AND d.kind IN (${options.withReturns ? "'sale', 'return'" : "'sale'"})
         AND d.delivered_at >= :from AND d.delivered_at < :to
         AND (d.delivered_at, d.id) > (:afterAt::timestamptz, :afterId)`,
      bindings: {
        from: window.from,
        to: window.to,
        afterAt: options.after?.deliveredAt ?? '-infinity',
        afterId: options.after?.id ?? 0,
      },
    };
  }

  async recordRun(run: RecordedRun): Promise<void> {
    await this.db(RUNS).insert({
      window_from: run.window.from,
      window_to: run.window.to,
      started_at: run.startedAt,
      actor: run.actor,
      checked_sales: run.checked.sales,
      checked_returns: run.checked.returns,
      mismatches: JSON.stringify(run.mismatches),
      unchecked: JSON.stringify(run.unchecked),
    });
  }

  /** The run that finished last, by any process; undefined before the first. */
  async latestRun(): Promise<LatestRun | undefined> {
    const row = await this.db<RunRow>(RUNS)
      .select('finished_at', 'checked_sales', 'checked_returns', 'mismatches', 'unchecked')
      .orderBy('id', 'desc')
      .first();
    return (
      row && {
        finishedAt: row.finished_at,
        checked: { sales: row.checked_sales, returns: row.checked_returns },
        mismatches: row.mismatches,
        unchecked: row.unchecked,
      }
    );
  }
}
