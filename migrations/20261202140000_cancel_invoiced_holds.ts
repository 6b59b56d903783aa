import type { Knex } from 'knex';

/**
 * Cancellations (design 2 and 4): a hold moves `invoiced -> cancelled`, and only so; its sold tickets go
 * back to `available` (restocked) or out of `quantity` (not restocked, e.g. a cancelled performance), with
 * a `cancel` ledger entry written by the same trigger as every other move.
 *
 * What was decided is a `cancellations` row (reason, restocked, who, when), inserted in the same
 * transaction before the hold's status changes: the ledger trigger reads `restocked` from it, and refuses
 * a hold cancelled without one. A cancellation commits with its hold cancelled or not at all (a deferred
 * constraint trigger checks it), and is never changed or removed.
 *
 * A listing's `quantity` changed by a hold's trigger (a cancellation not restocked) is recorded by that
 * trigger's own entry; `listings_stock_changed` records only changes made by a statement of its own, so
 * that a replay of the ledger still reproduces every counter.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

const holdStatuses = (statuses: string[]) => `ALTER TABLE holds
     DROP CONSTRAINT holds_status_check,
     ADD CONSTRAINT holds_status_check CHECK (status IN (${statuses.map((s) => `'${s}'`).join(', ')}))`;

const ledgerKinds = (kinds: string[]) => `ALTER TABLE ledger_entries
     DROP CONSTRAINT ledger_entries_kind_check,
     ADD CONSTRAINT ledger_entries_kind_check CHECK (kind IN (${kinds.map((k) => `'${k}'`).join(', ')}))`;

const stockChangedTrigger = (when: string) => `CREATE TRIGGER listings_stock_changed
      AFTER UPDATE OF quantity ON listings
      FOR EACH ROW WHEN (${when})
      EXECUTE FUNCTION listings_record_stock_change()`;

// One statement per query: PGlite, unlike a PostgreSQL server, takes no more.
const UP = [
  holdStatuses(['held', 'released', 'expired', 'invoiced', 'cancelled']),
  ledgerKinds(['stock', 'hold', 'release', 'expire', 'invoice', 'cancel']),
  `CREATE TABLE cancellations (
      global_id     text PRIMARY KEY REFERENCES invoices (global_id),
      reason        text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
      -- true: the tickets went back on sale; false: they left the listing's quantity.
      restocked     boolean NOT NULL,
      -- Who cancelled (an API key, name#id-prefix), as the ledger entry names it too.
      cancelled_by  text NOT NULL,
      cancelled_at  timestamptz NOT NULL DEFAULT now()
    )`,
  `CREATE FUNCTION cancellations_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'cancellations are final: never changed or removed' USING ERRCODE = 'restrict_violation';
    END $$`,
  `CREATE TRIGGER cancellations_final
      BEFORE UPDATE OR DELETE ON cancellations
      FOR EACH ROW EXECUTE FUNCTION cancellations_are_final()`,
  `CREATE TRIGGER cancellations_no_truncate
      BEFORE TRUNCATE ON cancellations
      FOR EACH STATEMENT EXECUTE FUNCTION cancellations_are_final()`,
  `CREATE FUNCTION cancellations_check_complete() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      hold_status text;
    BEGIN
      SELECT status INTO hold_status FROM holds WHERE global_id = NEW.global_id;
      IF hold_status IS DISTINCT FROM 'cancelled' THEN
        RAISE EXCEPTION 'cancellation of % must commit with its hold cancelled (hold %)', NEW.global_id, hold_status
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NULL;
    END $$`,
  `CREATE CONSTRAINT TRIGGER cancellations_complete
      AFTER INSERT ON cancellations DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW EXECUTE FUNCTION cancellations_check_complete()`,
  `CREATE OR REPLACE FUNCTION holds_guard_transition() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.global_id <> OLD.global_id OR NEW.partner_id <> OLD.partner_id OR NEW.remote_id <> OLD.remote_id
         OR NEW.event_id <> OLD.event_id OR NEW.quantity <> OLD.quantity OR NEW.created_at <> OLD.created_at
         OR NEW.expires_at <> OLD.expires_at THEN
        RAISE EXCEPTION 'hold % may change only its status', OLD.global_id USING ERRCODE = 'restrict_violation';
      END IF;
      IF NEW.status IS DISTINCT FROM OLD.status
         AND NOT (OLD.status = 'held' AND NEW.status IN ('released', 'expired', 'invoiced'))
         AND NOT (OLD.status = 'invoiced' AND NEW.status = 'cancelled') THEN
        RAISE EXCEPTION 'hold % is % and cannot become %', OLD.global_id, OLD.status, NEW.status
          USING ERRCODE = 'restrict_violation';
      END IF;
      RETURN NEW;
    END $$`,
  `CREATE OR REPLACE FUNCTION holds_apply_to_listing() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      entry_kind text;
      d_quantity integer := 0;
      d_held integer := 0;
      d_sold integer := 0;
      restock boolean;
    BEGIN
      IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'held' THEN
          RAISE EXCEPTION 'a hold starts as held' USING ERRCODE = 'check_violation';
        END IF;
        entry_kind := 'hold';
        d_held := NEW.quantity;
      ELSIF NEW.status = 'cancelled' THEN
        SELECT c.restocked INTO restock FROM cancellations c WHERE c.global_id = NEW.global_id;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'hold % cannot be cancelled without its cancellation', NEW.global_id
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        entry_kind := 'cancel';
        d_sold := -NEW.quantity;
        IF NOT restock THEN
          d_quantity := -NEW.quantity;
        END IF;
      ELSE
        entry_kind := CASE NEW.status WHEN 'released' THEN 'release' WHEN 'expired' THEN 'expire' ELSE 'invoice' END;
        d_held := -NEW.quantity;
        IF NEW.status = 'invoiced' THEN
          d_sold := NEW.quantity;
        END IF;
      END IF;
      -- An oversell fails here: listings_available_check rejects the row and the whole statement.
      IF d_quantity = 0 THEN
        UPDATE listings SET held = held + d_held, sold = sold + d_sold WHERE remote_id = NEW.remote_id;
      ELSE
        UPDATE listings SET quantity = quantity + d_quantity, held = held + d_held, sold = sold + d_sold
        WHERE remote_id = NEW.remote_id;
      END IF;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'hold % names no listing %', NEW.global_id, NEW.remote_id USING ERRCODE = 'foreign_key_violation';
      END IF;
      INSERT INTO ledger_entries (remote_id, global_id, kind, d_quantity, d_held, d_sold, actor)
      VALUES (NEW.remote_id, NEW.global_id, entry_kind, d_quantity, d_held, d_sold, NEW.changed_by);
      RETURN NULL;
    END $$`,
  `DROP TRIGGER listings_stock_changed ON listings`,
  stockChangedTrigger('NEW.quantity IS DISTINCT FROM OLD.quantity AND pg_trigger_depth() = 0'),
];

const DOWN = [
  // Undoing a cancellation would mean rewriting the append-only ledger: refuse rather than lose one.
  `DO $$
    BEGIN
      IF EXISTS (SELECT 1 FROM cancellations) THEN
        RAISE EXCEPTION 'cannot roll back cancellations: % holds are cancelled', (SELECT count(*) FROM cancellations)
          USING ERRCODE = 'restrict_violation';
      END IF;
    END $$`,
  `DROP TRIGGER listings_stock_changed ON listings`,
  stockChangedTrigger('NEW.quantity IS DISTINCT FROM OLD.quantity'),
  `CREATE OR REPLACE FUNCTION holds_apply_to_listing() RETURNS trigger LANGUAGE plpgsql AS $$
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
      IF NOT FOUND THEN
        RAISE EXCEPTION 'hold % names no listing %', NEW.global_id, NEW.remote_id USING ERRCODE = 'foreign_key_violation';
      END IF;
      INSERT INTO ledger_entries (remote_id, global_id, kind, d_quantity, d_held, d_sold, actor)
      VALUES (NEW.remote_id, NEW.global_id, entry_kind, 0, d_held, d_sold, NEW.changed_by);
      RETURN NULL;
    END $$`,
  `CREATE OR REPLACE FUNCTION holds_guard_transition() RETURNS trigger LANGUAGE plpgsql AS $$
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
  `DROP TABLE cancellations`,
  `DROP FUNCTION cancellations_check_complete()`,
  `DROP FUNCTION cancellations_are_final()`,
  ledgerKinds(['stock', 'hold', 'release', 'expire', 'invoice']),
  holdStatuses(['held', 'released', 'expired', 'invoiced']),
];
