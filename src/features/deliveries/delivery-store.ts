import type { Knex } from 'knex';
import type { Acknowledgment, ClaimedDelivery, Delivery, DeliveryStatus, ListingMapping, Progress, Sale } from './delivery';
import type { ListingRow } from '../listings/listing-store';
import type { PartnerEvent } from './targets/delivery-target';

/** The listing's columns an invoice keeps as the sale, and those that map it downstream. */
type SaleSnapshotColumn = 'event_id' | 'event_name' | 'event_venue' | 'event_occurs_at' | 'section' | 'seat_row' | 'seats' | 'price_amount' | 'price_currency';
type MappingColumn = 'tessitura_performance_id' | 'tessitura_zone_id' | 'tessitura_price_type' | 'salesvu_product_id';

const TABLE = 'deliveries';
export const DISPATCHER_ACTOR = 'system:dispatcher';

type DeliveryRow = {
  id: number | string;
  global_id: string;
  target: Delivery['target'];
  kind: Delivery['kind'];
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  acknowledgment: Acknowledgment | null;
  created_at: Date;
  updated_at: Date;
  delivered_at: Date | null;
};

type EventRow = { delivery_id: number | string; kind: string; attempt: number; detail: string | null; actor: string; created_at: Date };

const iso = (date: Date | null) => (date ? date.toISOString() : null);

const toDelivery = (row: DeliveryRow): Delivery => ({
  id: Number(row.id),
  global_id: row.global_id,
  target: row.target,
  kind: row.kind,
  status: row.status,
  attempts: row.attempts,
  next_attempt_at: iso(row.next_attempt_at),
  last_error: row.last_error,
  acknowledgment: row.acknowledgment,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
  delivered_at: iso(row.delivered_at),
});

const toEvent = (row: EventRow) => ({
  kind: row.kind as NonNullable<Delivery['history']>[number]['kind'],
  attempt: row.attempt,
  detail: row.detail,
  actor: row.actor,
  at: row.created_at.toISOString(),
});

/** A claimed delivery's row: the delivery, its hold, its invoice's snapshot of the sale (if invoiced) and its listing's mapping. */
type ClaimedRow = Pick<ListingRow, SaleSnapshotColumn | MappingColumn> & {
  id: number | string;
  global_id: string;
  target: string;
  kind: Delivery['kind'];
  attempts: number;
  payload: unknown;
  progress: Progress;
  lease_token: string;
  withdrawn: boolean;
  partner_id: string;
  remote_id: string;
  quantity: number;
  order_id: string | null;
  customer: Record<string, string> | null;
  invoiced_at: Date | null;
  awaited: Acknowledgment | null;
  partner_event_id: string | null;
  told_type: string | null;
  told_data: Record<string, unknown> | null;
  told_at: Date | null;
};

const saleOf = (row: ClaimedRow): Sale | null =>
  row.order_id === null
    ? null
    : {
        global_id: row.global_id,
        order_id: row.order_id,
        partner_id: row.partner_id,
        remote_id: row.remote_id,
        quantity: row.quantity,
        event: { id: row.event_id, name: row.event_name, venue: row.event_venue, occurs_at: row.event_occurs_at.toISOString() },
        section: row.section,
        row: row.seat_row,
        seats: row.seats,
        unit_price: { amount: row.price_amount, currency: row.price_currency },
        customer: row.customer,
        invoiced_at: (row.invoiced_at as Date).toISOString(),
      };

const mappingOf = (row: ClaimedRow): ListingMapping => ({
  tessitura:
    row.tessitura_performance_id === null
      ? null
      : { performance_id: row.tessitura_performance_id, zone_id: row.tessitura_zone_id as number, price_type: row.tessitura_price_type as number },
  salesvu: row.salesvu_product_id === null ? null : { product_id: row.salesvu_product_id },
});

const toClaimed = (row: ClaimedRow): ClaimedDelivery => ({
  id: Number(row.id),
  target: row.target,
  kind: row.kind,
  withdrawn: row.withdrawn,
  global_id: row.global_id,
  attempts: row.attempts,
  sale: saleOf(row),
  payload: row.payload,
  progress: row.progress,
  listing: mappingOf(row),
  awaited: row.awaited,
  partnerEvent:
    row.partner_event_id === null
      ? null
      : { id: row.partner_event_id, type: row.told_type as string, data: row.told_data ?? {}, created_at: (row.told_at as Date).toISOString() },
  leaseToken: row.lease_token,
});

/** A CTE recording what a partner is told of a delivery's outcome; `outcome` names the CTE holding the delivery's row. */
const tellPartnerOf = (outcome: string) => `told AS (
         INSERT INTO partner_events (partner_id, type, global_id, data)
         SELECT h.partner_id, :eventType, h.global_id, :eventData::jsonb
         FROM ${outcome} JOIN holds h USING (global_id)
         WHERE :eventType::text IS NOT NULL
       )`;

const partnerEventBindings = (event: PartnerEvent | undefined) => ({
  eventType: event?.type ?? null,
  eventData: event ? JSON.stringify(event.data) : null,
});

const DELIVERY_COLUMN_NAMES = [
  'id', 'global_id', 'target', 'kind', 'status', 'attempts', 'next_attempt_at', 'last_error', 'acknowledgment',
  'created_at', 'updated_at', 'delivered_at',
];

export type Failure = { attempt: number; error: string; dead: boolean; retryInMs: number };

/** What a cancellation did to its sale's deliveries right away: the targets whose sale it withdrew (never sent). */
export type SaleWithdrawal = { withdrawnAtOnce: Delivery['target'][] };

/**
 * What follows a delivery: its return, if its target takes returns and its sale was cancelled meanwhile
 * (`returnable`), and what its partner is told.
 */
export type DeliveredOutcome = { returnable?: boolean; event?: PartnerEvent };

/** The claim no longer belongs to this dispatcher (its lease ran out and another one took the delivery). */
export class LeaseLostError extends Error {
  constructor(id: number) {
    super(`delivery ${id} was claimed by another dispatcher`);
    this.name = 'LeaseLostError';
  }
}

export class DeliveryStore {
  constructor(private readonly db: Knex) {}

  /**
   * Claims up to `limit` due deliveries to `target`: SKIP LOCKED keeps concurrent dispatchers off each other's rows,
   * and the lease (a new token, the next attempt pushed past `leaseMs`) keeps them off after commit. A
   * dispatcher that dies mid-send leaves the row to be claimed again when the lease runs out. Each comes
   * with its sale (the invoice's snapshot) or its partner event, the listing's downstream mapping and the
   * acknowledgment of the delivery it waited for.
   */
  async claimDue(lane: { name: string; kind: Delivery['kind'] }, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const { rows } = await this.db.raw<{ rows: ClaimedRow[] }>(
      `WITH due AS (
         SELECT id FROM ${TABLE}
         WHERE status = 'pending' AND next_attempt_at <= now() AND target = ? AND kind = ?
         ORDER BY next_attempt_at
         LIMIT ?
         FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE ${TABLE} d
         SET lease_token = gen_random_uuid(), next_attempt_at = now() + make_interval(secs => ?), updated_at = now()
         FROM due
         WHERE d.id = due.id
         RETURNING d.id, d.global_id, d.target, d.kind, d.attempts, d.payload, d.progress, d.lease_token, d.waits_for,
                   d.partner_event_id, d.withdrawn_at IS NOT NULL AS withdrawn
       )
       SELECT c.id, c.global_id, c.target, c.kind, c.attempts, c.payload, c.progress, c.lease_token, c.withdrawn,
              h.partner_id, h.remote_id, h.quantity,
              i.order_id, i.customer, i.invoiced_at, i.event_id, i.event_name, i.event_venue, i.event_occurs_at,
              i.section, i.seat_row, i.seats, i.price_amount::text AS price_amount, i.price_currency,
              l.tessitura_performance_id, l.tessitura_zone_id, l.tessitura_price_type, l.salesvu_product_id,
              awaited.acknowledgment AS awaited,
              c.partner_event_id, told.type AS told_type, told.data AS told_data, told.created_at AS told_at
       FROM claimed c
       JOIN holds h ON h.global_id = c.global_id
       JOIN listings l ON l.remote_id = h.remote_id
       LEFT JOIN invoices i ON i.global_id = c.global_id
       LEFT JOIN ${TABLE} awaited
         ON awaited.global_id = c.global_id AND awaited.target = c.waits_for AND awaited.kind = 'sale'
       LEFT JOIN partner_events told ON told.id = c.partner_event_id`,
      [lane.name, lane.kind, limit, leaseMs / 1000],
    );
    return rows.map(toClaimed);
  }

  /** Pushes the claim's lease `leaseMs` past now; false when the claim is no longer this dispatcher's. */
  async renewLease(delivery: ClaimedDelivery, leaseMs: number): Promise<boolean> {
    const updated = await this.db(TABLE)
      .where({ id: delivery.id, lease_token: delivery.leaseToken })
      .update({ next_attempt_at: this.db.raw('now() + make_interval(secs => ?)', [leaseMs / 1000]) });
    return updated === 1;
  }

  async saveProgress(delivery: ClaimedDelivery, progress: Progress): Promise<void> {
    const updated = await this.db(TABLE)
      .where({ id: delivery.id, lease_token: delivery.leaseToken })
      .update({ progress: JSON.stringify(progress), updated_at: this.db.fn.now() });
    if (updated === 0) throw new LeaseLostError(delivery.id);
  }

  /**
   * Records the acknowledgment, makes due the sale's deliveries that waited for this one, queues its
   * return when its sale was cancelled meanwhile (see DeliveredOutcome), and records what the partner is
   * told of it (a partner event), all in one statement: a cancellation committed at any moment is seen.
   */
  async markDelivered(delivery: ClaimedDelivery, acknowledgment: Acknowledgment, summary: string, outcome: DeliveredOutcome = {}): Promise<void> {
    const { rows } = await this.db.raw<{ rows: unknown[] }>(
      `WITH delivered AS (
         UPDATE ${TABLE}
         SET status = 'delivered', acknowledgment = :acknowledgment::jsonb, delivered_at = now(), updated_at = now(),
             next_attempt_at = NULL, lease_token = NULL
         WHERE id = :id AND lease_token = :token
         RETURNING id, global_id, target, kind, withdrawn_at
       ), event AS (
         INSERT INTO delivery_events (delivery_id, kind, attempt, detail, actor)
         SELECT id, 'delivered', :attempt, :summary, :actor FROM delivered
       ), followers AS (
         UPDATE ${TABLE} f
         SET next_attempt_at = now(), updated_at = now()
         FROM delivered
         WHERE delivered.kind = 'sale' AND f.global_id = delivered.global_id
           AND f.waits_for = delivered.target AND f.kind = 'sale' AND f.status = 'pending' AND f.withdrawn_at IS NULL
       ), returned AS (
         INSERT INTO ${TABLE} (global_id, target, kind, waits_for, next_attempt_at)
         SELECT global_id, target, 'return', target, now() FROM delivered WHERE :returnable AND withdrawn_at IS NOT NULL
       ), ${tellPartnerOf('delivered')}
       SELECT id FROM delivered`,
      {
        ...partnerEventBindings(outcome.event),
        returnable: outcome.returnable === true,
        acknowledgment: JSON.stringify(acknowledgment),
        id: delivery.id,
        token: delivery.leaseToken,
        attempt: delivery.attempts + 1,
        summary,
        actor: DISPATCHER_ACTOR,
      },
    );
    if (rows.length === 0) throw new LeaseLostError(delivery.id);
  }

  /** Counts a failed attempt: due again after `retryInMs`, or dead (and the partner told, if `event`). */
  async markFailed(delivery: ClaimedDelivery, failure: Failure, event?: PartnerEvent): Promise<void> {
    const { rows } = await this.db.raw<{ rows: unknown[] }>(
      `WITH failed AS (
         UPDATE ${TABLE}
         SET status = CASE WHEN :dead THEN 'dead' ELSE 'pending' END,
             attempts = :attempt, last_error = :error, updated_at = now(), lease_token = NULL,
             next_attempt_at = CASE WHEN :dead THEN NULL ELSE now() + make_interval(secs => :retryInSeconds) END
         WHERE id = :id AND lease_token = :token
         RETURNING id, global_id
       ), event AS (
         INSERT INTO delivery_events (delivery_id, kind, attempt, detail, actor)
         SELECT id, CASE WHEN :dead THEN 'dead' ELSE 'attempt_failed' END, :attempt, :error, :actor FROM failed
       ), ${tellPartnerOf('failed')}
       SELECT id FROM failed`,
      {
        ...partnerEventBindings(failure.dead ? event : undefined),
        dead: failure.dead,
        attempt: failure.attempt,
        error: failure.error,
        retryInSeconds: failure.retryInMs / 1000,
        id: delivery.id,
        token: delivery.leaseToken,
        actor: DISPATCHER_ACTOR,
      },
    );
    if (rows.length === 0) throw new LeaseLostError(delivery.id);
  }

  /**
   * The sale `globalId` was cancelled (call it in the cancellation's transaction). Each of its deliveries
   * not yet delivered is withdrawn: at once when no attempt ever began (nothing can have been recorded),
   * else it is marked and made due so that its target finds out what it recorded (see the dispatcher),
   * an attempt in flight included. Each delivered one to a target in `returnable` gets a return, due now.
   * Answers the targets whose sale delivery was withdrawn at once.
   */
  async withdrawSale(trx: Knex.Transaction, globalId: string, returnable: readonly string[]): Promise<SaleWithdrawal> {
    const { rows } = await trx.raw<{ rows: { withdrawn: Delivery['target'][] | null }[] }>(
      `WITH sales AS (
         SELECT id, target, status, lease_token IS NULL AND progress = '{}'::jsonb AS untouched
         FROM ${TABLE} WHERE global_id = :globalId AND kind = 'sale' AND withdrawn_at IS NULL
         ORDER BY id
         FOR UPDATE
       ), withdrawn AS (
         UPDATE ${TABLE} d
         SET status = 'withdrawn', withdrawn_at = now(), next_attempt_at = NULL, updated_at = now()
         FROM sales s WHERE d.id = s.id AND s.status <> 'delivered' AND s.untouched
         RETURNING d.id, d.target, d.attempts
       ), uncertain AS (
         UPDATE ${TABLE} d
         SET withdrawn_at = now(), status = 'pending', updated_at = now(),
             attempts = CASE WHEN d.status = 'dead' THEN 0 ELSE d.attempts END,
             next_attempt_at = CASE WHEN d.lease_token IS NULL THEN now() ELSE d.next_attempt_at END
         FROM sales s WHERE d.id = s.id AND s.status <> 'delivered' AND NOT s.untouched
       ), withdrawal_events AS (
         INSERT INTO delivery_events (delivery_id, kind, attempt, detail, actor)
         SELECT id, 'withdrawn', attempts, 'the sale was cancelled before any attempt: nothing to send or return', :actor FROM withdrawn
       ), returns AS (
         INSERT INTO ${TABLE} (global_id, target, kind, waits_for, next_attempt_at)
         SELECT :globalId, s.target, 'return', s.target, now() FROM sales s
         WHERE s.status = 'delivered' AND s.target = ANY (:returnable::text[])
         ORDER BY s.id
       )
       SELECT (SELECT array_agg(target) FROM withdrawn) AS withdrawn`,
      { globalId, returnable: [...returnable], actor: DISPATCHER_ACTOR },
    );
    return { withdrawnAtOnce: rows[0].withdrawn ?? [] };
  }

  /** Records what a partner is told, in the caller's transaction. */
  async tellPartner(trx: Knex.Transaction, globalId: string, event: PartnerEvent): Promise<void> {
    await trx.raw(
      `INSERT INTO partner_events (partner_id, type, global_id, data) SELECT partner_id, ?, global_id, ?::jsonb FROM holds WHERE global_id = ?`,
      [event.type, JSON.stringify(event.data), globalId],
    );
  }

  /** A sale's deliveries and returns, as a cancellation or an invoice shows them. */
  async saleSummaries(db: Knex, globalId: string): Promise<{ target: Delivery['target']; kind: Delivery['kind']; status: DeliveryStatus }[]> {
    return db(TABLE).select('target', 'kind', 'status').where({ global_id: globalId }).whereNot({ kind: 'event' }).orderBy('id');
  }

  /** A cancelled sale that its target never recorded: withdrawn for good (and the partner told, if `event`). */
  async markWithdrawn(delivery: ClaimedDelivery, detail: string, event?: PartnerEvent): Promise<void> {
    const { rows } = await this.db.raw<{ rows: unknown[] }>(
      `WITH withdrawn AS (
         UPDATE ${TABLE}
         SET status = 'withdrawn', next_attempt_at = NULL, lease_token = NULL, updated_at = now()
         WHERE id = :id AND lease_token = :token
         RETURNING id, global_id
       ), event AS (
         INSERT INTO delivery_events (delivery_id, kind, attempt, detail, actor)
         SELECT id, 'withdrawn', :attempt, :detail, :actor FROM withdrawn
       ), ${tellPartnerOf('withdrawn')}
       SELECT id FROM withdrawn`,
      { ...partnerEventBindings(event), id: delivery.id, token: delivery.leaseToken, attempt: delivery.attempts, detail, actor: DISPATCHER_ACTOR },
    );
    if (rows.length === 0) throw new LeaseLostError(delivery.id);
  }

  /** Gives the delivery back without counting an attempt: due again after `delayMs` (0: at once). */
  async release(delivery: ClaimedDelivery, delayMs: number): Promise<void> {
    await this.db.raw(
      `UPDATE ${TABLE} SET lease_token = NULL, next_attempt_at = now() + make_interval(secs => ?), updated_at = now()
       WHERE id = ? AND lease_token = ?`,
      [delayMs / 1000, delivery.id, delivery.leaseToken],
    );
  }

  async list(query: { status?: DeliveryStatus; target?: Delivery['target']; beforeId?: number; limit: number }): Promise<Delivery[]> {
    const rows = await this.db(TABLE)
      .select<DeliveryRow[]>(DELIVERY_COLUMN_NAMES)
      .modify((q) => {
        if (query.status) q.where({ status: query.status });
        if (query.target) q.where({ target: query.target });
        if (query.beforeId !== undefined) q.where('id', '<', query.beforeId);
      })
      .orderBy('id', 'desc')
      .limit(query.limit);
    return rows.map(toDelivery);
  }

  /** A hold's deliveries in the order they were queued (a sale's in the order it is sent), each with its history. */
  async ofSale(globalId: string): Promise<Delivery[]> {
    const rows = await this.db(TABLE)
      .select<DeliveryRow[]>(DELIVERY_COLUMN_NAMES)
      .where({ global_id: globalId })
      .orderBy('id');
    const events = await this.db<EventRow>('delivery_events')
      .whereIn('delivery_id', rows.map((row) => row.id))
      .orderBy('id');
    return rows.map((row) => ({
      ...toDelivery(row),
      history: events.filter((event) => Number(event.delivery_id) === Number(row.id)).map(toEvent),
    }));
  }

  /**
   * Makes a delivery due again for staff: a dead one restarts its attempt count, and its progress is what
   * `keptProgress` keeps of it. A delivery whose awaited delivery is not done keeps waiting for it.
   * Answers undefined when there is no such delivery, and the delivery unchanged when it was delivered.
   */
  async retry(id: number, actor: string, keptProgress: (target: string, progress: Progress) => Progress): Promise<Delivery | undefined> {
    return this.db.transaction(async (trx) => {
      const current = await trx(TABLE)
        .select<(DeliveryRow & { progress: Progress })[]>([...DELIVERY_COLUMN_NAMES, 'progress'])
        .where({ id })
        .forUpdate()
        .first();
      if (!current || current.status === 'delivered') return current && toDelivery(current);
      const { rows } = await trx.raw<{ rows: DeliveryRow[] }>(
        `UPDATE ${TABLE} d
         SET status = 'pending', lease_token = NULL, updated_at = now(),
             attempts = CASE WHEN d.status = 'dead' THEN 0 ELSE d.attempts END,
             progress = ?::jsonb,
             next_attempt_at = CASE
               WHEN d.waits_for IS NOT NULL AND NOT EXISTS (
                 SELECT 1 FROM ${TABLE} a
                 WHERE a.global_id = d.global_id AND a.target = d.waits_for AND a.kind = 'sale' AND a.status = 'delivered')
               THEN NULL ELSE now() END
         WHERE id = ?
         RETURNING ${DELIVERY_COLUMN_NAMES.map((column) => `d.${column}`).join(', ')}`,
        [JSON.stringify(keptProgress(current.target, current.progress)), id],
      );
      await trx('delivery_events').insert({ delivery_id: id, kind: 'retried', attempt: current.attempts, actor });
      return toDelivery(rows[0]);
    });
  }

  /**
   * Pending and dead deliveries per target, and how long the oldest one due to be sent has waited (a
   * delivery waiting for another target's is pending but not due: its age says nothing of its target).
   */
  async backlog(): Promise<Map<Delivery['target'], { pending: number; dead: number; oldestPendingSeconds: number | null }>> {
    const { rows } = await this.db.raw<{ rows: { target: Delivery['target']; pending: number; dead: number; oldest: number | null }[] }>(
      `SELECT target,
              count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE status = 'dead')::int AS dead,
              extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'pending' AND next_attempt_at IS NOT NULL))::float8 AS oldest
       FROM ${TABLE} WHERE status IN ('pending', 'dead') GROUP BY target`,
    );
    return new Map(rows.map((row) => [row.target, { pending: row.pending, dead: row.dead, oldestPendingSeconds: row.oldest }]));
  }
}
