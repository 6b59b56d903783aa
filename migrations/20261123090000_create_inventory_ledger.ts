import type { Knex } from 'knex';

/**
 * Listings, holds and the append-only ledger. The ledger invariants (docs/design.md section 4) live here, in
 * the database, so that no code path (nor an operator at a psql prompt) can break them:
 * - `listings.available` is generated as `quantity - held - sold`, and CHECKs keep all four >= 0;
 * - `held` and `sold` move only through hold rows: a trigger applies each hold insert or status change to
 *   its listing and appends the matching ledger entry in the same statement;
 * - a hold only moves `held -> released | expired | invoiced`, and its identity never changes;
 * - ledger entries can be appended, never changed or removed.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

// One statement per query: PGlite, unlike a PostgreSQL server, takes no more.
const UP = [
  `CREATE TABLE listings (
      remote_id        text PRIMARY KEY,
      event_id         text NOT NULL,
      event_name       text NOT NULL,
      event_venue      text NOT NULL,
      event_occurs_at  timestamptz NOT NULL,
      section          text NOT NULL,
      seat_row         text NOT NULL,
      seats            text[],
      quantity         integer NOT NULL CHECK (quantity >= 0),
      held             integer NOT NULL DEFAULT 0 CHECK (held >= 0),
      sold             integer NOT NULL DEFAULT 0 CHECK (sold >= 0),
      available        integer GENERATED ALWAYS AS (quantity - held - sold) STORED
                         CONSTRAINT listings_available_check CHECK (available >= 0),
      price_amount     numeric(12, 2) NOT NULL CHECK (price_amount >= 0),
      price_currency   text NOT NULL CHECK (price_currency ~ '^[A-Z]{3}$'),
      splits           integer[] CHECK (splits IS NULL OR cardinality(splits) > 0),
      tessitura_performance_id integer,
      tessitura_zone_id        integer,
      tessitura_price_type     integer,
      salesvu_product_id       text,
      created_at       timestamptz NOT NULL DEFAULT now(),
      updated_at       timestamptz NOT NULL DEFAULT now(),
      updated_by       text NOT NULL,
      CHECK ((tessitura_performance_id IS NULL) = (tessitura_zone_id IS NULL)
         AND (tessitura_zone_id IS NULL) = (tessitura_price_type IS NULL))
    )`,
  `CREATE INDEX listings_event_idx ON listings (event_id, remote_id)`,
  `CREATE TABLE holds (
      global_id   text PRIMARY KEY,
      partner_id  text NOT NULL,
      remote_id   text NOT NULL REFERENCES listings (remote_id),
      -- The event the hold was made for, copied so that staff can search holds by event without a join.
      event_id    text NOT NULL,
      quantity    integer NOT NULL CHECK (quantity >= 1),
      status      text NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'released', 'expired', 'invoiced')),
      expires_at  timestamptz NOT NULL,
      created_at  timestamptz NOT NULL DEFAULT now(),
      closed_at   timestamptz,
      -- Who made the latest change; the ledger trigger records it with the entry.
      changed_by  text NOT NULL,
      CHECK ((status = 'held') = (closed_at IS NULL))
    )`,
  `CREATE INDEX holds_due_idx ON holds (expires_at) WHERE status = 'held'`,
  `CREATE INDEX holds_listing_due_idx ON holds (remote_id, expires_at) WHERE status = 'held'`,
  `CREATE TABLE ledger_entries (
      id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      remote_id   text NOT NULL REFERENCES listings (remote_id),
      global_id   text REFERENCES holds (global_id),
      kind        text NOT NULL CHECK (kind IN ('stock', 'hold', 'release', 'expire', 'invoice')),
      d_quantity  integer NOT NULL,
      d_held      integer NOT NULL,
      d_sold      integer NOT NULL,
      actor       text NOT NULL,
      created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
      CHECK ((kind = 'stock') = (global_id IS NULL))
    )`,
  `CREATE INDEX ledger_entries_listing_idx ON ledger_entries (remote_id, id)`,
  `CREATE INDEX ledger_entries_hold_idx ON ledger_entries (global_id, id) WHERE global_id IS NOT NULL`,
  `CREATE FUNCTION ledger_entries_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'ledger_entries is append-only' USING ERRCODE = 'restrict_violation';
    END $$`,
  `CREATE TRIGGER ledger_entries_append_only
      BEFORE UPDATE OR DELETE ON ledger_entries
      FOR EACH ROW EXECUTE FUNCTION ledger_entries_are_append_only()`,
  `CREATE TRIGGER ledger_entries_no_truncate
      BEFORE TRUNCATE ON ledger_entries
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_are_append_only()`,
  `CREATE FUNCTION listings_record_stock_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO ledger_entries (remote_id, kind, d_quantity, d_held, d_sold, actor)
      VALUES (NEW.remote_id, 'stock',
              NEW.quantity - CASE WHEN TG_OP = 'INSERT' THEN 0 ELSE OLD.quantity END,
              0, 0, NEW.updated_by);
      RETURN NULL;
    END $$`,
  `CREATE TRIGGER listings_stock_inserted
      AFTER INSERT ON listings
      FOR EACH ROW EXECUTE FUNCTION listings_record_stock_change()`,
  `CREATE TRIGGER listings_stock_changed
      AFTER UPDATE OF quantity ON listings
      FOR EACH ROW WHEN (NEW.quantity IS DISTINCT FROM OLD.quantity)
      EXECUTE FUNCTION listings_record_stock_change()`,
  `CREATE FUNCTION listings_counters_follow_holds() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.held IS DISTINCT FROM OLD.held OR NEW.sold IS DISTINCT FROM OLD.sold THEN
        IF pg_trigger_depth() < 2 THEN
          RAISE EXCEPTION 'held and sold change only through holds (listing %)', NEW.remote_id
            USING ERRCODE = 'restrict_violation';
        END IF;
      END IF;
      RETURN NEW;
    END $$`,
  `CREATE TRIGGER listings_counters_guard
      BEFORE UPDATE OF held, sold ON listings
      FOR EACH ROW EXECUTE FUNCTION listings_counters_follow_holds()`,
  `CREATE FUNCTION holds_guard_transition() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.global_id <> OLD.global_id OR NEW.partner_id <> OLD.partner_id OR NEW.remote_id <> OLD.remote_id
         OR NEW.event_id <> OLD.event_id OR NEW.quantity <> OLD.quantity OR NEW.created_at <> OLD.created_at
         OR NEW.expires_at <> OLD.expires_at THEN
        RAISE EXCEPTION 'hold % may change only its status', OLD.global_id USING ERRCODE = 'restrict_violation';
      END IF;
      IF NEW.status IS DISTINCT FROM OLD.status AND OLD.status <> 'held' THEN
        RAISE EXCEPTION 'hold % is % and cannot become %', OLD.global_id, OLD.status, NEW.status
          USING ERRCODE = 'restrict_violation';
      END IF;
      RETURN NEW;
    END $$`,
  `CREATE TRIGGER holds_transition_guard
      BEFORE UPDATE ON holds
      FOR EACH ROW EXECUTE FUNCTION holds_guard_transition()`,
  `CREATE FUNCTION holds_forbid_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'holds are never deleted; release them' USING ERRCODE = 'restrict_violation';
    END $$`,
  `CREATE TRIGGER holds_no_delete
      BEFORE DELETE ON holds
      FOR EACH ROW EXECUTE FUNCTION holds_forbid_delete()`,
  `CREATE FUNCTION holds_apply_to_listing() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      entry_kind text;
      d_held integer;
      d_sold integer := 0;
    BEGIN
      IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'held' THEN
          RAISE EXCEPTION 'a hold starts as held' USING ERRCODE = 'check_violation';
        END IF;
        entry_kind := 'hold';
        d_held := NEW.quantity;
      ELSE
        entry_kind := CASE NEW.status WHEN 'released' THEN 'release' WHEN 'expired' THEN 'expire' ELSE 'invoice' END;
        d_held := -NEW.quantity;
        IF NEW.status = 'invoiced' THEN
          d_sold := NEW.quantity;
        END IF;
      END IF;
      -- An oversell fails here: listings_available_check rejects the row and the whole statement.
      UPDATE listings SET held = held + d_held, sold = sold + d_sold WHERE remote_id = NEW.remote_id;
      INSERT INTO ledger_entries (remote_id, global_id, kind, d_quantity, d_held, d_sold, actor)
      VALUES (NEW.remote_id, NEW.global_id, entry_kind, 0, d_held, d_sold, NEW.changed_by);
      RETURN NULL;
    END $$`,
  `CREATE TRIGGER holds_placed
      AFTER INSERT ON holds
      FOR EACH ROW EXECUTE FUNCTION holds_apply_to_listing()`,
  `CREATE TRIGGER holds_closed
      AFTER UPDATE OF status ON holds
      FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status)
      EXECUTE FUNCTION holds_apply_to_listing()`,
];

const DOWN = [
  `DROP TABLE ledger_entries`,
  `DROP TABLE holds`,
  `DROP TABLE listings`,
  `DROP FUNCTION holds_apply_to_listing()`,
  `DROP FUNCTION holds_forbid_delete()`,
  `DROP FUNCTION holds_guard_transition()`,
  `DROP FUNCTION listings_counters_follow_holds()`,
  `DROP FUNCTION listings_record_stock_change()`,
  `DROP FUNCTION ledger_entries_are_append_only()`,
];
