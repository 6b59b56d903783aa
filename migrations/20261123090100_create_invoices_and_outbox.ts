import type { Knex } from 'knex';

/**
 * Invoices and the downstream outbox. An invoice, its hold's move to `invoiced` and one delivery per
 * target commit together or not at all: deferred constraint triggers check it at commit time.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

// One statement per query: PGlite, unlike a PostgreSQL server, takes no more.
const UP = [
  `CREATE TABLE invoices (
      global_id            text PRIMARY KEY REFERENCES holds (global_id),
      order_id             text NOT NULL,
      partner_id           text NOT NULL,
      customer             jsonb,
      -- Identifies the request body, so that an identical repeat is recognised even after the customer
      -- data has been scrubbed.
      request_fingerprint  text NOT NULL,
      invoiced_at          timestamptz NOT NULL DEFAULT now(),
      customer_scrubbed_at timestamptz
    )`,
  `CREATE INDEX invoices_order_idx ON invoices (partner_id, order_id)`,
  `CREATE TABLE deliveries (
      id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      global_id       text NOT NULL REFERENCES invoices (global_id),
      target          text NOT NULL CHECK (target IN ('tessitura', 'salesvu')),
      status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
      payload         jsonb NOT NULL,
      attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      -- NULL while the delivery waits for another one (SalesVu waits for Tessitura's acknowledgment).
      next_attempt_at timestamptz,
      last_error      text,
      -- What the target already did for this delivery, so that a retry resumes instead of repeating.
      progress        jsonb NOT NULL DEFAULT '{}'::jsonb,
      acknowledgment  jsonb,
      created_at      timestamptz NOT NULL DEFAULT now(),
      updated_at      timestamptz NOT NULL DEFAULT now(),
      delivered_at    timestamptz,
      UNIQUE (global_id, target),
      CHECK ((status = 'delivered') = (delivered_at IS NOT NULL)),
      CHECK (status <> 'delivered' OR acknowledgment IS NOT NULL)
    )`,
  `CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at) WHERE status = 'pending'`,
  `CREATE INDEX deliveries_status_idx ON deliveries (status, target, id)`,
  `CREATE FUNCTION invoices_check_complete() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      hold_status text;
      targets integer;
    BEGIN
      SELECT status INTO hold_status FROM holds WHERE global_id = NEW.global_id;
      SELECT count(*) INTO targets FROM deliveries WHERE global_id = NEW.global_id;
      IF hold_status IS DISTINCT FROM 'invoiced' OR targets <> 2 THEN
        RAISE EXCEPTION 'invoice % must commit with its hold invoiced and both deliveries (hold %, % deliveries)',
          NEW.global_id, hold_status, targets USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NULL;
    END $$`,
  `CREATE CONSTRAINT TRIGGER invoices_complete
      AFTER INSERT ON invoices DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW EXECUTE FUNCTION invoices_check_complete()`,
  `CREATE FUNCTION holds_check_invoiced() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM invoices WHERE global_id = NEW.global_id) THEN
        RAISE EXCEPTION 'hold % cannot be invoiced without an invoice', NEW.global_id
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NULL;
    END $$`,
  `CREATE CONSTRAINT TRIGGER holds_invoiced_with_invoice
      AFTER UPDATE OF status ON holds DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (NEW.status = 'invoiced')
      EXECUTE FUNCTION holds_check_invoiced()`,
];

const DOWN = [
  `DROP TRIGGER holds_invoiced_with_invoice ON holds`,
  `DROP FUNCTION holds_check_invoiced()`,
  `DROP TABLE deliveries`,
  `DROP TABLE invoices`,
  `DROP FUNCTION invoices_check_complete()`,
];
