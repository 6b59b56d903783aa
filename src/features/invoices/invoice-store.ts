import type { Knex } from 'knex';
import { type PreparedStatement, runPrepared } from '../../platform/prepared-statement';
import { DELIVERY_TARGETS } from '../deliveries/targets/registry';
import type { Hold } from '../holds/hold';
import { toHold } from '../holds/hold-store';
import type { Customer, DeliverySummary, Invoice } from './invoice';


export type Invoicing = {
  globalId: string;
  partnerId: string;
  orderId: string;
  customer: Customer | null;
  fingerprint: string;
  actor: string;
};

export type InvoiceRecord = Invoice & { fingerprint: string };

/** What a refused invoice needs to explain itself. */
export type InvoicingContext = { hold?: Hold & { past_expiry: boolean }; invoice?: InvoiceRecord };

type InvoiceRow = {
  global_id: string;
  order_id: string;
  remote_id: string;
  quantity: number;
  invoiced_at: Date;
  request_fingerprint: string;
  deliveries: DeliverySummary[];
  /** Once the sale was cancelled (see CANCELLATION). */
  cancellation?: Invoice['cancellation'] | null;
};

const statusOf = ({ cancellation }: InvoiceRow): Pick<Invoice, 'status' | 'cancellation'> =>
  cancellation ? { status: 'cancelled', cancellation } : { status: 'invoiced' };

const toInvoice = (row: InvoiceRow): InvoiceRecord => ({
  global_id: row.global_id,
  order_id: row.order_id,
  remote_id: row.remote_id,
  quantity: row.quantity,
  invoiced_at: new Date(row.invoiced_at).toISOString(),
  deliveries: row.deliveries,
  ...statusOf(row),
  fingerprint: row.request_fingerprint,
});

/** A sale's delivery summaries, in the order the sale is sent. */
const DELIVERY_SUMMARIES = `(SELECT coalesce(jsonb_agg(jsonb_build_object('target', d.target, 'status', d.status) ORDER BY d.id), '[]'::jsonb)
                            FROM deliveries d WHERE d.global_id = i.global_id AND d.kind = 'sale')`;

/** The sale's cancellation (`c`), null before one: its time formatted as Date.toISOString() does. */
const CANCELLATION = `CASE WHEN c.global_id IS NOT NULL THEN jsonb_build_object(
                        'cancelled_at', to_char(c.cancelled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                        'reason', c.reason, 'restocked', c.restocked) END`;

/** The registry's sale targets, in the order a sale is sent, and what each waits for. */
const saleTargets = DELIVERY_TARGETS.filter((target) => target.kind === 'sale');
const SALE_TARGET_NAMES = saleTargets.map((target) => target.name);
const SALE_TARGETS_AWAITED = saleTargets.map((target) => target.waitsFor ?? null);

/**
 * An invoice in one statement: the hold becomes `invoiced` (its trigger moves the counters and writes the
 * ledger), the invoice is recorded with a snapshot of the listing as sold, and one delivery per sale
 * target ($7, in order; $8 what each waits for) is queued: due at once unless it waits for another.
 */
const INVOICE_HOLD: PreparedStatement = {
  name: 'invoice-hold',
  text: `WITH invoiced AS (
           UPDATE holds SET status = 'invoiced', closed_at = now(), changed_by = $1
           WHERE global_id = $2 AND partner_id = $3 AND status = 'held' AND expires_at > now()
           RETURNING global_id, partner_id, remote_id, quantity, closed_at
         ), invoice AS (
           INSERT INTO invoices (global_id, order_id, partner_id, customer, request_fingerprint, invoiced_at,
                                 event_id, event_name, event_venue, event_occurs_at, section, seat_row, seats,
                                 price_amount, price_currency)
           SELECT h.global_id, $4, h.partner_id, $5::jsonb, $6, h.closed_at,
                  l.event_id, l.event_name, l.event_venue, l.event_occurs_at, l.section, l.seat_row, l.seats,
                  l.price_amount, l.price_currency
           FROM invoiced h JOIN listings l USING (remote_id)
           RETURNING global_id, order_id, invoiced_at, request_fingerprint
         ), outbox AS (
           INSERT INTO deliveries (global_id, target, waits_for, next_attempt_at)
           SELECT h.global_id, t.target, t.waits_for, CASE WHEN t.waits_for IS NULL THEN now() END
           FROM invoiced h CROSS JOIN unnest($7::text[], $8::text[]) AS t (target, waits_for)
           RETURNING target, status
         )
         SELECT i.global_id, i.order_id, h.remote_id, h.quantity, i.invoiced_at, i.request_fingerprint,
                (SELECT jsonb_agg(jsonb_build_object('target', target, 'status', status) ORDER BY array_position($7::text[], target))
                   FROM outbox) AS deliveries
         FROM invoice i JOIN invoiced h USING (global_id)`,
};

export class InvoiceStore {
  constructor(private readonly db: Knex) {}

  /**
   * Invoices a live hold (INVOICE_HOLD). Answers undefined when the hold is not this partner's, not
   * held, or past its expiry.
   */
  async invoice(i: Invoicing): Promise<InvoiceRecord | undefined> {
    const { rows } = await runPrepared<InvoiceRow>(this.db, INVOICE_HOLD, [
      i.actor,
      i.globalId,
      i.partnerId,
      i.orderId,
      i.customer === null ? null : JSON.stringify(i.customer),
      i.fingerprint,
      SALE_TARGET_NAMES,
      SALE_TARGETS_AWAITED,
    ]);
    return rows[0] && toInvoice(rows[0]);
  }

  async find(globalId: string): Promise<InvoiceRecord | undefined> {
    const { rows } = await this.db.raw<{ rows: InvoiceRow[] }>(
      `SELECT i.global_id, i.order_id, h.remote_id, h.quantity, i.invoiced_at, i.request_fingerprint,
              ${DELIVERY_SUMMARIES} AS deliveries, ${CANCELLATION} AS cancellation
       FROM invoices i JOIN holds h USING (global_id) LEFT JOIN cancellations c USING (global_id)
       WHERE i.global_id = ?`,
      [globalId],
    );
    return rows[0] && toInvoice(rows[0]);
  }

  async invoicingContext(globalId: string): Promise<InvoicingContext> {
    const { rows } = await this.db.raw<{ rows: (Parameters<typeof toHold>[0] & { past_expiry: boolean })[] }>(
      `SELECT global_id, remote_id, quantity, status, expires_at, created_at, partner_id,
              expires_at <= now() AS past_expiry
       FROM holds WHERE global_id = ?`,
      [globalId],
    );
    if (!rows[0]) return {};
    const hold = { ...toHold(rows[0]), past_expiry: rows[0].past_expiry };
    const sold = hold.status === 'invoiced' || hold.status === 'cancelled';
    return { hold, invoice: sold ? await this.find(globalId) : undefined };
  }

  /** Removes the customer from invoices older than `retentionDays` (deliveries read it from there). */
  async scrubCustomerData(retentionDays: number): Promise<number> {
    const { rows } = await this.db.raw<{ rows: { scrubbed: number }[] }>(
      `WITH scrubbed AS (
         UPDATE invoices SET customer = NULL, customer_scrubbed_at = now()
         WHERE customer IS NOT NULL AND invoiced_at < now() - make_interval(days => ?)
         RETURNING global_id
       )
       SELECT count(*)::int AS scrubbed FROM scrubbed`,
      [retentionDays],
    );
    return rows[0].scrubbed;
  }
}
