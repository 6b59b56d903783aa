import type { Knex } from 'knex';
import { type PreparedStatement, runPrepared } from '../../platform/prepared-statement';
import type { Hold, HoldStatus } from './hold';
import type { PartnerLimits } from './partner-limits';

const TABLE = 'holds';
const HOLD_COLUMNS = 'global_id, remote_id, quantity, status, expires_at, created_at, partner_id';
export const EXPIRY_ACTOR = 'system:expiry';
/** How the hold statement hands the partner's held-ticket limit to the trigger that counts (see the migration). */
const MAX_HELD_SETTING = 'ticket_gateway.max_held_tickets';

type HoldRow = {
  global_id: string;
  remote_id: string;
  quantity: number;
  status: HoldStatus;
  expires_at: Date;
  created_at: Date;
  partner_id: string;
};

export const toHold = (row: HoldRow): Hold => ({
  global_id: row.global_id,
  remote_id: row.remote_id,
  quantity: row.quantity,
  status: row.status,
  expires_at: row.expires_at.toISOString(),
  created_at: row.created_at.toISOString(),
  partner_id: row.partner_id,
});

export type HoldFilter = {
  status?: HoldStatus;
  remoteId?: string;
  partnerId?: string;
  eventId?: string;
  createdFrom?: string;
  createdTo?: string;
};

/** Where a hold stands in the search order: its created_at (to the microsecond) and global_id. */
export type HoldPosition = [createdAt: string, globalId: string];

export type Placement = {
  globalId: string;
  partnerId: string;
  remoteId: string;
  quantity: number;
  ttlSeconds: number;
  actor: string;
  limits: PartnerLimits;
};

/** A placement refused because the partner's open holds would pass its limit: what they hold now. */
export type OverHeldLimit = { heldTickets: number };

/** What a refused placement needs to explain itself: the hold already under that id, and the listing. */
export type PlacementContext = {
  hold?: Hold;
  listing?: { available: number; splits: number[] | null };
};

/**
 * A hold in one statement: the row is inserted only when the listing has the tickets and allows the
 * quantity, and the quantity is within the partner's per-hold limit ($8); the `holds_placed` trigger moves
 * the counters and writes the ledger, and `holds_placed_partner` counts the partner's held tickets and
 * refuses the row past its limit ($7, which the statement hands to that trigger for its transaction).
 */
const PLACE_HOLD: PreparedStatement = {
  name: 'place-hold',
  text: `INSERT INTO ${TABLE} (global_id, partner_id, remote_id, event_id, quantity, expires_at, changed_by)
         SELECT $1, $2, remote_id, event_id, $3, now() + make_interval(secs => $4), $5
         FROM listings
         WHERE remote_id = $6 AND available >= $3 AND (splits IS NULL OR $3 = ANY (splits)) AND $3 <= $8
           AND set_config('${MAX_HELD_SETTING}', $7::text, true) IS NOT NULL
         ON CONFLICT (global_id) DO NOTHING
         RETURNING ${HOLD_COLUMNS}`,
};

/** Releases a held hold ($3, when not null, confines it to that partner's); one past its expiry becomes expired. */
const RELEASE_HOLD: PreparedStatement = {
  name: 'release-hold',
  text: `UPDATE ${TABLE}
         SET status = CASE WHEN expires_at <= now() THEN 'expired' ELSE 'released' END,
             closed_at = now(), changed_by = $1
         WHERE global_id = $2 AND status = 'held' AND ($3::text IS NULL OR partner_id = $3)
         RETURNING ${HOLD_COLUMNS}`,
};

type CheckViolation = { code?: string; constraint?: string; detail?: string };
const violates = (error: unknown, constraint: string) =>
  (error as CheckViolation).code === '23514' && (error as CheckViolation).constraint === constraint;

export class HoldStore {
  constructor(private readonly db: Knex) {}

  /**
   * Places a hold (PLACE_HOLD). Answers undefined when nothing was placed: the id exists, the listing
   * refused, the quantity is over the per-hold limit, or a concurrent hold took the last tickets first
   * (the database's available >= 0 check, not this code, is what stops the oversell); and what the
   * partner holds when the hold would take it past its limit.
   */
  async place(p: Placement): Promise<Hold | OverHeldLimit | undefined> {
    try {
      const { rows } = await runPrepared<HoldRow>(this.db, PLACE_HOLD, [
        p.globalId,
        p.partnerId,
        p.quantity,
        p.ttlSeconds,
        p.actor,
        p.remoteId,
        p.limits.maxHeldTickets,
        p.limits.maxHoldQuantity,
      ]);
      return rows[0] && toHold(rows[0]);
    } catch (error) {
      if (violates(error, 'listings_available_check')) return undefined;
      if (violates(error, 'partner_held_tickets_limit')) return { heldTickets: Number((error as CheckViolation).detail) };
      throw error;
    }
  }

  async placementContext(globalId: string, remoteId: string): Promise<PlacementContext> {
    const { rows } = await this.db.raw<{ rows: { hold: HoldRow | null; listing: PlacementContext['listing'] | null }[] }>(
      `SELECT (SELECT to_jsonb(h) FROM (SELECT ${HOLD_COLUMNS} FROM ${TABLE} WHERE global_id = ?) h) AS hold,
              (SELECT jsonb_build_object('available', available, 'splits', splits)
                 FROM listings WHERE remote_id = ?) AS listing`,
      [globalId, remoteId],
    );
    const { hold, listing } = rows[0];
    return {
      hold: hold ? toHold({ ...hold, expires_at: new Date(hold.expires_at), created_at: new Date(hold.created_at) }) : undefined,
      listing: listing ?? undefined,
    };
  }

  async find(globalId: string): Promise<Hold | undefined> {
    const { rows } = await this.db.raw<{ rows: HoldRow[] }>(`SELECT ${HOLD_COLUMNS} FROM ${TABLE} WHERE global_id = ?`, [
      globalId,
    ]);
    return rows[0] && toHold(rows[0]);
  }

  /**
   * Releases a held hold; one already past its expiry becomes `expired` instead (its tickets return
   * either way). `partnerId` confines the release to that partner's holds.
   */
  async release(globalId: string, partnerId: string | null, actor: string): Promise<Hold | undefined> {
    const { rows } = await runPrepared<HoldRow>(this.db, RELEASE_HOLD, [actor, globalId, partnerId]);
    return rows[0] && toHold(rows[0]);
  }

  /**
   * Expires one listing's holds that are past due; rows another transaction holds are left to it. One
   * partner's per statement: each locks the listing, then one partner's count, as every hold does, so
   * that two expiries never wait on each other's partners (no deadlock).
   */
  async expireDue(remoteId: string): Promise<number> {
    const partners = await this.db(TABLE)
      .distinct('partner_id')
      .where({ remote_id: remoteId, status: 'held' })
      .andWhere('expires_at', '<=', this.db.fn.now())
      .orderBy('partner_id');
    let expired = 0;
    for (const { partner_id: partnerId } of partners as { partner_id: string }[]) {
      const { rowCount } = await this.db.raw<{ rowCount: number }>(
        `UPDATE ${TABLE} SET status = 'expired', closed_at = now(), changed_by = ?
         WHERE status = 'held' AND global_id IN (
           SELECT global_id FROM ${TABLE}
           WHERE remote_id = ? AND partner_id = ? AND status = 'held' AND expires_at <= now()
           FOR UPDATE SKIP LOCKED)`,
        [EXPIRY_ACTOR, remoteId, partnerId],
      );
      expired += rowCount ?? 0;
    }
    return expired;
  }

  /** Listings (of `among`, or any) with holds past their expiry that still count as held. */
  async listingsWithDueHolds(limit: number, among?: string[]): Promise<string[]> {
    const rows = await this.db(TABLE)
      .distinct('remote_id')
      .where({ status: 'held' })
      .andWhere('expires_at', '<=', this.db.fn.now())
      .modify((query) => {
        if (among) query.whereIn('remote_id', among);
      })
      .limit(limit);
    return rows.map((row: { remote_id: string }) => row.remote_id);
  }

  /**
   * A page of holds newest first, after `after` (the position of the previous page's last hold). The
   * position is `created_at` to the microsecond, as text, plus `global_id`: exact, unlike a JS Date.
   */
  async search(filter: HoldFilter, after: HoldPosition | undefined, limit: number): Promise<{ hold: Hold; position: HoldPosition }[]> {
    const rows: (HoldRow & { position: string })[] = await this.db(TABLE)
      .select(this.db.raw(`${HOLD_COLUMNS}, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position`))
      .modify((query) => {
        if (filter.status) query.where('status', filter.status);
        if (filter.remoteId) query.where('remote_id', filter.remoteId);
        if (filter.partnerId) query.where('partner_id', filter.partnerId);
        if (filter.eventId) query.where('event_id', filter.eventId);
        if (filter.createdFrom) query.where('created_at', '>=', filter.createdFrom);
        if (filter.createdTo) query.where('created_at', '<', filter.createdTo);
        if (after) query.whereRaw('(created_at, global_id) < (?::timestamptz, ?)', after);
      })
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'global_id', order: 'desc' }])
      .limit(limit);
    return rows.map((row) => ({ hold: toHold(row), position: [row.position, row.global_id] }));
  }
}
