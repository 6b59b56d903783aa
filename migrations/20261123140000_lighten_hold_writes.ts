import type { Knex } from 'knex';

/**
 * Makes a hold cheaper to write without loosening any invariant:
 * - The foreign keys from holds and ledger entries to listings took a KEY SHARE lock on the very listing
 *   row the same statement updates, which PostgreSQL records as a MultiXact: on a busy listing those
 *   piled up. A hold's listing is now checked by the trigger that updates it (no row, no hold), and
 *   listings can no longer be deleted, which is all the foreign keys guaranteed.
 * - The guard on held and sold now runs only for statements outside a trigger (its WHEN clause), rather
 *   than calling a function for every hold to find that out.
 * - Two indexes no query used: ledger entries by listing, and holds by status (a search by status scans
 *   the creation-time index; held holds, the ones staff look for, are few and have their own index).
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

// One statement per query: PGlite, unlike a PostgreSQL server, takes no more.
const UP = [
  `ALTER TABLE holds DROP CONSTRAINT holds_remote_id_fkey`,
  `ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_remote_id_fkey`,
  `DROP INDEX ledger_entries_listing_idx`,
  `DROP INDEX holds_status_created_idx`,
  `CREATE FUNCTION listings_forbid_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'listings are never deleted; set their quantity to what is committed' USING ERRCODE = 'restrict_violation';
    END $$`,
  `CREATE TRIGGER listings_no_delete BEFORE DELETE ON listings FOR EACH ROW EXECUTE FUNCTION listings_forbid_delete()`,
  `CREATE TRIGGER listings_no_truncate BEFORE TRUNCATE ON listings FOR EACH STATEMENT EXECUTE FUNCTION listings_forbid_delete()`,
  `CREATE OR REPLACE FUNCTION listings_counters_follow_holds() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.held IS DISTINCT FROM OLD.held OR NEW.sold IS DISTINCT FROM OLD.sold THEN
        RAISE EXCEPTION 'held and sold change only through holds (listing %)', NEW.remote_id
          USING ERRCODE = 'restrict_violation';
      END IF;
      RETURN NEW;
    END $$`,
  `DROP TRIGGER listings_counters_guard ON listings`,
  `CREATE TRIGGER listings_counters_guard
      BEFORE UPDATE OF held, sold ON listings
      FOR EACH ROW WHEN (pg_trigger_depth() = 0)
      EXECUTE FUNCTION listings_counters_follow_holds()`,
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
];

const DOWN = [
  `DROP TRIGGER listings_counters_guard ON listings`,
  `CREATE TRIGGER listings_counters_guard
      BEFORE UPDATE OF held, sold ON listings
      FOR EACH ROW EXECUTE FUNCTION listings_counters_follow_holds()`,
  `DROP TRIGGER listings_no_truncate ON listings`,
  `DROP TRIGGER listings_no_delete ON listings`,
  `DROP FUNCTION listings_forbid_delete()`,
  `CREATE INDEX holds_status_created_idx ON holds (status, created_at DESC, global_id DESC)`,
  `CREATE INDEX ledger_entries_listing_idx ON ledger_entries (remote_id, id)`,
  `ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_remote_id_fkey FOREIGN KEY (remote_id) REFERENCES listings (remote_id)`,
  `ALTER TABLE holds ADD CONSTRAINT holds_remote_id_fkey FOREIGN KEY (remote_id) REFERENCES listings (remote_id)`,
];
