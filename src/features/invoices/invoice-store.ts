import type { Knex } from 'knex';
import { type PreparedStatement, runPrepared } from '../../platform/prepared-statement';
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
};

const toInvoice = (row: InvoiceRow): InvoiceRecord => ({
  global_id: row.global_id,
  order_id: row.order_id,
  remote_id: row.remote_id,
  quantity: row.quantity,
  status: 'invoiced',
  invoiced_at: new Date(row.invoiced_at).toISOString(),
  deliveries: row.deliveries,
  fingerprint: row.request_fingerprint,
});

/** Delivery summaries of one invoice, Tessitura first (the order they are sent in). */
const DELIVERY_SUMMARIES = `(SELECT coalesce(jsonb_agg(jsonb_build_object('target', d.target, 'status', d.status)
                              ORDER BY d.target = 'salesvu'), '[]'::jsonb)
                            FROM deliveries d WHERE d.global_id = i.global_id)`;

/**
 * An invoice in one statement: the hold becomes `invoiced` (its trigger moves the counters and writes the
 * ledger), the invoice is recorded and one delivery per target is queued with a snapshot of the sale.
 * Tessitura's delivery is due at once; SalesVu's waits for Tessitura's acknowledgment.
 */
const INVOICE_HOLD: PreparedStatement = {
  name: 'invoice-hold',
  text: `WITH invoiced AS (
           UPDATE holds SET status = 'invoiced', closed_at = now(), changed_by = $1
           WHERE global_id = $2 AND partner_id = $3 AND status = 'held' AND expires_at > now()
           RETURNING global_id, partner_id, remote_id, quantity, closed_at
         ), invoice AS (
           INSERT INTO invoices (global_id, order_id, partner_id, customer, request_fingerprint, invoiced_at)
           SELECT global_id, $4, partner_id, $5::jsonb, $6, closed_at FROM invoiced
           RETURNING global_id, order_id, invoiced_at, request_fingerprint
         ), outbox AS (
           INSERT INTO deliveries (global_id, target, payload, next_attempt_at)
           SELECT h.global_id, t.target,
                  jsonb_build_object(
                    'global_id', h.global_id, 'order_id', i.order_id, 'partner_id', h.partner_id,
                    'remote_id', h.remote_id, 'quantity', h.quantity,
                    'event', jsonb_build_object('id', l.event_id, 'name', l.event_name, 'venue', l.event_venue,
                                                'occurs_at', l.event_occurs_at),
                    'section', l.section, 'row', l.seat_row, 'seats', l.seats,
                    'unit_price', jsonb_build_object('amount', l.price_amount::text, 'currency', l.price_currency),
                    'customer', $5::jsonb, 'invoiced_at', i.invoiced_at),
                  CASE WHEN t.target = 'tessitura' THEN now() END
           FROM invoiced h
           JOIN invoice i USING (global_id)
           JOIN listings l USING (remote_id)
           CROSS JOIN (VALUES ('tessitura'), ('salesvu')) AS t (target)
           RETURNING target, status
         )
         SELECT i.global_id, i.order_id, h.remote_id, h.quantity, i.invoiced_at, i.request_fingerprint,
                (SELECT jsonb_agg(jsonb_build_object('target', target, 'status', status) ORDER BY target = 'salesvu')
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
    ]);
    return rows[0] && toInvoice(rows[0]);
  }

  async find(globalId: string): Promise<InvoiceRecord | undefined> {
    const { rows } = await this.db.raw<{ rows: InvoiceRow[] }>(
      `SELECT i.global_id, i.order_id, h.remote_id, h.quantity, i.invoiced_at, i.request_fingerprint,
              ${DELIVERY_SUMMARIES} AS deliveries
       FROM invoices i JOIN holds h USING (global_id)
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
    return { hold, invoice: hold.status === 'invoiced' ? await this.find(globalId) : undefined };
  }

  /** Removes the customer from invoices older than `retentionDays` and from their deliveries' payloads. */
  async scrubCustomerData(retentionDays: number): Promise<number> {
    const { rows } = await this.db.raw<{ rows: { scrubbed: number }[] }>(
      `WITH scrubbed AS (
         UPDATE invoices SET customer = NULL, customer_scrubbed_at = now()
         WHERE customer IS NOT NULL AND invoiced_at < now() - make_interval(days => ?)
         RETURNING global_id
       ), payloads AS (
         UPDATE deliveries d SET payload = d.payload - 'customer'
         FROM invoices i
         WHERE d.global_id = i.global_id AND jsonb_exists(d.payload, 'customer')
           AND i.invoiced_at < now() - make_interval(days => ?)
       )
       SELECT count(*)::int AS scrubbed FROM scrubbed`,
      [retentionDays, retentionDays],
    );
    return rows[0].scrubbed;
  }
}
