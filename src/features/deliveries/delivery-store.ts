import type { Knex } from 'knex';
import type { Acknowledgment, ClaimedDelivery, Delivery, DeliveryStatus } from './delivery';

const TABLE = 'deliveries';
export const DISPATCHER_ACTOR = 'system:dispatcher';

type DeliveryRow = {
  id: number | string;
  global_id: string;
  target: Delivery['target'];
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

const DELIVERY_COLUMN_NAMES = [
  'id', 'global_id', 'target', 'status', 'attempts', 'next_attempt_at', 'last_error', 'acknowledgment',
  'created_at', 'updated_at', 'delivered_at',
];

export type Failure = { attempt: number; error: string; dead: boolean; retryInMs: number };

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
   * Claims up to `limit` due deliveries: SKIP LOCKED keeps concurrent dispatchers off each other's rows,
   * and the lease (a new token, the next attempt pushed past `leaseMs`) keeps them off after commit. A
   * dispatcher that dies mid-send leaves the row to be claimed again when the lease runs out.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const { rows } = await this.db.raw<{ rows: (DeliveryRow & Record<string, unknown>)[] }>(
      `WITH due AS (
         SELECT id FROM ${TABLE}
         WHERE status = 'pending' AND next_attempt_at <= now()
         ORDER BY next_attempt_at
         LIMIT ?
         FOR UPDATE SKIP LOCKED
       )
       UPDATE ${TABLE} d
       SET lease_token = gen_random_uuid(), next_attempt_at = now() + make_interval(secs => ?), updated_at = now()
       FROM due, holds h, listings l
       WHERE d.id = due.id AND h.global_id = d.global_id AND l.remote_id = h.remote_id
       RETURNING d.id, d.target, d.attempts, d.payload, d.progress, d.lease_token,
                 l.tessitura_performance_id, l.tessitura_zone_id, l.tessitura_price_type, l.salesvu_product_id`,
      [limit, leaseMs / 1000],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      target: row.target,
      attempts: row.attempts,
      payload: row.payload as ClaimedDelivery['payload'],
      progress: row.progress as Record<string, unknown>,
      leaseToken: row.lease_token as string,
      listing: {
        tessitura:
          row.tessitura_performance_id === null
            ? null
            : {
                performance_id: row.tessitura_performance_id as number,
                zone_id: row.tessitura_zone_id as number,
                price_type: row.tessitura_price_type as number,
              },
        salesvu: row.salesvu_product_id === null ? null : { product_id: row.salesvu_product_id as string },
      },
    }));
  }

  async saveProgress(delivery: ClaimedDelivery, progress: Record<string, unknown>): Promise<void> {
    const updated = await this.db(TABLE)
      .where({ id: delivery.id, lease_token: delivery.leaseToken })
      .update({ progress: JSON.stringify(progress), updated_at: this.db.fn.now() });
    if (updated === 0) throw new LeaseLostError(delivery.id);
  }

  /**
   * Records the acknowledgment; Tessitura's also makes the sale's SalesVu delivery due, carrying
   * Tessitura's order id.
   */
  async markDelivered(delivery: ClaimedDelivery, acknowledgment: Acknowledgment, summary: string): Promise<void> {
    const { rows } = await this.db.raw<{ rows: unknown[] }>(
      `WITH delivered AS (
         UPDATE ${TABLE}
         SET status = 'delivered', acknowledgment = :acknowledgment::jsonb, delivered_at = now(), updated_at = now(),
             next_attempt_at = NULL, lease_token = NULL
         WHERE id = :id AND lease_token = :token
         RETURNING id, global_id, target
       ), event AS (
         INSERT INTO delivery_events (delivery_id, kind, attempt, detail, actor)
         SELECT id, 'delivered', :attempt, :summary, :actor FROM delivered
       ), follower AS (
         UPDATE ${TABLE} f
         SET next_attempt_at = now(), updated_at = now(),
             payload = f.payload || jsonb_build_object('tessitura_order_id', :acknowledgment::jsonb -> 'order_id')
         FROM delivered
         WHERE delivered.target = 'tessitura' AND f.global_id = delivered.global_id
           AND f.target = 'salesvu' AND f.status = 'pending'
       )
       SELECT id FROM delivered`,
      {
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

  /** Counts a failed attempt: due again after `retryInMs`, or dead. */
  async markFailed(delivery: ClaimedDelivery, failure: Failure): Promise<void> {
    const { rows } = await this.db.raw<{ rows: unknown[] }>(
      `WITH failed AS (
         UPDATE ${TABLE}
         SET status = CASE WHEN :dead THEN 'dead' ELSE 'pending' END,
             attempts = :attempt, last_error = :error, updated_at = now(), lease_token = NULL,
             next_attempt_at = CASE WHEN :dead THEN NULL ELSE now() + make_interval(secs => :retryInSeconds) END
         WHERE id = :id AND lease_token = :token
         RETURNING id
       )
       INSERT INTO delivery_events (delivery_id, kind, attempt, detail, actor)
       SELECT id, CASE WHEN :dead THEN 'dead' ELSE 'attempt_failed' END, :attempt, :error, :actor FROM failed
       RETURNING delivery_id`,
      {
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

  /** A sale's deliveries, Tessitura first, each with its history. */
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
   * Makes a delivery due again for staff: a dead one restarts its attempt count. A SalesVu delivery whose
   * Tessitura delivery is not done keeps waiting for it. Answers undefined when there is no such
   * delivery, and the delivery unchanged when it was already delivered.
   */
  async retry(id: number, actor: string): Promise<Delivery | undefined> {
    return this.db.transaction(async (trx) => {
      const current = await trx(TABLE).select<DeliveryRow[]>(DELIVERY_COLUMN_NAMES).where({ id }).forUpdate().first();
      if (!current || current.status === 'delivered') return current && toDelivery(current);
      const { rows } = await trx.raw<{ rows: DeliveryRow[] }>(
        `UPDATE ${TABLE} d
         SET status = 'pending', lease_token = NULL, updated_at = now(),
             attempts = CASE WHEN d.status = 'dead' THEN 0 ELSE d.attempts END,
             progress = d.progress - 'checkout_attempted_at',
             next_attempt_at = CASE
               WHEN d.target = 'salesvu' AND NOT EXISTS (
                 SELECT 1 FROM ${TABLE} t WHERE t.global_id = d.global_id AND t.target = 'tessitura' AND t.status = 'delivered')
               THEN NULL ELSE now() END
         WHERE id = ?
         RETURNING ${DELIVERY_COLUMN_NAMES.map((column) => `d.${column}`).join(', ')}`,
        [id],
      );
      await trx('delivery_events').insert({ delivery_id: id, kind: 'retried', attempt: current.attempts, actor });
      return toDelivery(rows[0]);
    });
  }

  /**
   * Pending and dead deliveries per target, and how long the oldest one due to be sent has waited (a
   * SalesVu delivery waiting for Tessitura's is pending but not due: its age says nothing of SalesVu).
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
