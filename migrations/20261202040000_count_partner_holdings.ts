import type { Knex } from 'knex';

/**
 * Each partner's held tickets (the sum of its open holds), kept by triggers like a listing's counters, so
 * that a hold can be refused when it would take the partner past its limit (`hold_limit_reached`).
 *
 * The limit is configuration, not data: the hold statement hands it to the trigger for its own
 * transaction (`set_config('ticket_gateway.max_held_tickets', ..., true)`); without it nothing is capped.
 * The trigger runs after the listing's (trigger names sort `holds_placed` first), so every writer locks a
 * listing before a partner's row; the partner's row serializes that partner's holds, which is what makes
 * the cap exact under concurrency.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

// One statement per query: PGlite, unlike a PostgreSQL server, takes no more.
const UP = [
  `CREATE TABLE partner_holdings (
     partner_id text PRIMARY KEY,
     held       integer NOT NULL CHECK (held >= 0)
   )`,
  `INSERT INTO partner_holdings (partner_id, held)
   SELECT partner_id, sum(quantity) FROM holds WHERE status = 'held' GROUP BY partner_id`,
  `CREATE FUNCTION holds_count_for_partner() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE
     now_held integer;
     max_held integer := nullif(current_setting('ticket_gateway.max_held_tickets', true), '')::integer;
   BEGIN
     IF TG_OP = 'UPDATE' THEN
       UPDATE partner_holdings SET held = held - NEW.quantity WHERE partner_id = NEW.partner_id;
       RETURN NULL;
     END IF;
     INSERT INTO partner_holdings AS p (partner_id, held) VALUES (NEW.partner_id, NEW.quantity)
       ON CONFLICT (partner_id) DO UPDATE SET held = p.held + EXCLUDED.held
       RETURNING held INTO now_held;
     IF now_held > max_held THEN
       RAISE EXCEPTION 'partner % would hold % tickets, over its limit of %', NEW.partner_id, now_held, max_held
         USING ERRCODE = 'check_violation', CONSTRAINT = 'partner_held_tickets_limit', DETAIL = (now_held - NEW.quantity)::text;
     END IF;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER holds_placed_partner
     AFTER INSERT ON holds
     FOR EACH ROW EXECUTE FUNCTION holds_count_for_partner()`,
  `CREATE TRIGGER holds_closed_partner
     AFTER UPDATE OF status ON holds
     FOR EACH ROW WHEN (OLD.status = 'held' AND NEW.status IS DISTINCT FROM OLD.status)
     EXECUTE FUNCTION holds_count_for_partner()`,
];

const DOWN = [
  `DROP TRIGGER holds_closed_partner ON holds`,
  `DROP TRIGGER holds_placed_partner ON holds`,
  `DROP FUNCTION holds_count_for_partner()`,
  `DROP TABLE partner_holdings`,
];
