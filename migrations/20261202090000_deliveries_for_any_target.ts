import type { Knex } from 'knex';

/**
 * Deliveries that know no target in SQL, so that a target is code alone (the registry in
 * src/features/deliveries/targets):
 * - the sale a delivery sends is the invoice's own snapshot of the listing (typed columns written with the
 *   invoice), no longer a JSON payload per delivery built in SQL;
 * - a delivery that waits for another names that one's target (`waits_for`): SalesVu waits for Tessitura;
 * - any target name is allowed, and a delivery belongs to a hold (a partner event such as `hold.expired`
 *   concerns a hold that was never invoiced);
 * - partner events (`partner_events`, the facts partners are told of by webhook) get deliveries too, as
 *   many per hold and target as there are events; `payload` holds what such a delivery sends;
 * - an invoice commits with at least one delivery (which targets is the registry's business).
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

const SNAPSHOT_COLUMNS = ['event_id', 'event_name', 'event_venue', 'event_occurs_at', 'section', 'seat_row', 'price_amount', 'price_currency'];

// One statement per query: PGlite, unlike a PostgreSQL server, takes no more.
const UP = [
  `ALTER TABLE invoices
     ADD COLUMN event_id text, ADD COLUMN event_name text, ADD COLUMN event_venue text,
     ADD COLUMN event_occurs_at timestamptz, ADD COLUMN section text, ADD COLUMN seat_row text,
     ADD COLUMN seats text[], ADD COLUMN price_amount numeric(12, 2), ADD COLUMN price_currency text`,
  `UPDATE invoices i
   SET event_id = d.payload -> 'event' ->> 'id', event_name = d.payload -> 'event' ->> 'name',
       event_venue = d.payload -> 'event' ->> 'venue', event_occurs_at = (d.payload -> 'event' ->> 'occurs_at')::timestamptz,
       section = d.payload ->> 'section', seat_row = d.payload ->> 'row',
       seats = CASE WHEN jsonb_typeof(d.payload -> 'seats') = 'array'
                    THEN ARRAY(SELECT jsonb_array_elements_text(d.payload -> 'seats')) END,
       price_amount = (d.payload -> 'unit_price' ->> 'amount')::numeric,
       price_currency = d.payload -> 'unit_price' ->> 'currency'
   FROM deliveries d
   WHERE d.global_id = i.global_id AND d.target = 'tessitura'`,
  `ALTER TABLE invoices ${SNAPSHOT_COLUMNS.map((column) => `ALTER COLUMN ${column} SET NOT NULL`).join(', ')}`,
  `CREATE TABLE partner_events (
      id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      partner_id text NOT NULL,
      type       text NOT NULL,
      global_id  text NOT NULL REFERENCES holds (global_id),
      data       jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
  `ALTER TABLE deliveries
     DROP CONSTRAINT deliveries_target_check,
     ADD CONSTRAINT deliveries_target_check CHECK (target ~ '^[a-z][a-z0-9_]*$'),
     DROP CONSTRAINT deliveries_global_id_fkey,
     ADD CONSTRAINT deliveries_global_id_fkey FOREIGN KEY (global_id) REFERENCES holds (global_id),
     DROP CONSTRAINT deliveries_global_id_target_key,
     ADD COLUMN waits_for text CHECK (waits_for ~ '^[a-z][a-z0-9_]*$'),
     ADD COLUMN partner_event_id uuid REFERENCES partner_events (id),
     ALTER COLUMN payload DROP NOT NULL`,
  `UPDATE deliveries SET waits_for = 'tessitura', payload = NULL WHERE target = 'salesvu'`,
  `UPDATE deliveries SET payload = NULL WHERE target = 'tessitura'`,
  `CREATE UNIQUE INDEX deliveries_sale_target_key ON deliveries (global_id, target) WHERE partner_event_id IS NULL`,
  `CREATE INDEX deliveries_partner_event_idx ON deliveries (partner_event_id) WHERE partner_event_id IS NOT NULL`,
  `CREATE OR REPLACE FUNCTION invoices_check_complete() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      hold_status text;
      targets integer;
    BEGIN
      SELECT status INTO hold_status FROM holds WHERE global_id = NEW.global_id;
      SELECT count(*) INTO targets FROM deliveries WHERE global_id = NEW.global_id AND partner_event_id IS NULL;
      IF hold_status IS DISTINCT FROM 'invoiced' OR targets = 0 THEN
        RAISE EXCEPTION 'invoice % must commit with its hold invoiced and its deliveries (hold %, % deliveries)',
          NEW.global_id, hold_status, targets USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NULL;
    END $$`,
];

const DOWN = [
  `CREATE OR REPLACE FUNCTION invoices_check_complete() RETURNS trigger LANGUAGE plpgsql AS $$
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
  `DELETE FROM delivery_events WHERE delivery_id IN (
     SELECT id FROM deliveries WHERE partner_event_id IS NOT NULL OR target NOT IN ('tessitura', 'salesvu'))`,
  `DELETE FROM deliveries WHERE partner_event_id IS NOT NULL OR target NOT IN ('tessitura', 'salesvu')`,
  `UPDATE deliveries d
   SET payload = jsonb_build_object(
         'global_id', h.global_id, 'order_id', i.order_id, 'partner_id', h.partner_id,
         'remote_id', h.remote_id, 'quantity', h.quantity,
         'event', jsonb_build_object('id', i.event_id, 'name', i.event_name, 'venue', i.event_venue, 'occurs_at', i.event_occurs_at),
         'section', i.section, 'row', i.seat_row, 'seats', i.seats,
         'unit_price', jsonb_build_object('amount', i.price_amount::text, 'currency', i.price_currency),
         'customer', i.customer, 'invoiced_at', i.invoiced_at)
       || CASE WHEN d.target = 'salesvu' AND t.acknowledgment IS NOT NULL
               THEN jsonb_build_object('tessitura_order_id', t.acknowledgment -> 'order_id') ELSE '{}'::jsonb END
   FROM invoices i JOIN holds h USING (global_id)
   LEFT JOIN deliveries t ON t.global_id = i.global_id AND t.target = 'tessitura'
   WHERE d.global_id = i.global_id`,
  `DROP INDEX deliveries_sale_target_key`,
  `ALTER TABLE deliveries
     DROP COLUMN partner_event_id,
     DROP COLUMN waits_for,
     ALTER COLUMN payload SET NOT NULL,
     ADD CONSTRAINT deliveries_global_id_target_key UNIQUE (global_id, target),
     DROP CONSTRAINT deliveries_global_id_fkey,
     ADD CONSTRAINT deliveries_global_id_fkey FOREIGN KEY (global_id) REFERENCES invoices (global_id),
     DROP CONSTRAINT deliveries_target_check,
     ADD CONSTRAINT deliveries_target_check CHECK (target IN ('tessitura', 'salesvu'))`,
  `DROP TABLE partner_events`,
  `ALTER TABLE invoices ${[...SNAPSHOT_COLUMNS, 'seats'].map((column) => `DROP COLUMN ${column}`).join(', ')}`,
];
