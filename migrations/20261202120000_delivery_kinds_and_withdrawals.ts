import type { Knex } from 'knex';

/**
 * What a delivery does, beside where it goes: `sale` (records an invoiced sale), `return` (undoes a
 * delivered sale after a cancellation) or `event` (tells a partner of a partner event). A target may have
 * a delivery of each kind for one hold (Tessitura's sale, then its return); their breaker is the target's.
 *
 * A sale cancelled before its delivery was delivered is withdrawn: `withdrawn_at` marks it, and it ends
 * `withdrawn` (never recorded downstream) or, when an attempt may already have recorded it, `delivered`
 * once its target found out, with a return queued in the same statement.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

const queueWebhooks = (kind: string) => `CREATE OR REPLACE FUNCTION partner_events_queue_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO deliveries (global_id, target, ${kind ? 'kind, ' : ''}partner_event_id, payload, next_attempt_at)
      SELECT NEW.global_id, 'webhook', ${kind ? `'${kind}', ` : ''}NEW.id, jsonb_build_object('endpoint_id', e.id), now()
      FROM webhook_endpoints e
      WHERE e.partner_id = NEW.partner_id AND e.deleted_at IS NULL AND NEW.type = ANY (e.events);
      RETURN NULL;
    END $$`;

// One statement per query: PGlite, unlike a PostgreSQL server, takes no more.
const UP = [
  `ALTER TABLE deliveries
     ADD COLUMN kind text NOT NULL DEFAULT 'sale' CHECK (kind IN ('sale', 'return', 'event')),
     ADD COLUMN withdrawn_at timestamptz,
     DROP CONSTRAINT deliveries_status_check,
     ADD CONSTRAINT deliveries_status_check CHECK (status IN ('pending', 'delivered', 'dead', 'withdrawn'))`,
  `UPDATE deliveries SET kind = 'event' WHERE partner_event_id IS NOT NULL`,
  `ALTER TABLE delivery_events
     DROP CONSTRAINT delivery_events_kind_check,
     ADD CONSTRAINT delivery_events_kind_check CHECK (kind IN ('attempt_failed', 'delivered', 'dead', 'retried', 'withdrawn'))`,
  `ALTER TABLE deliveries
     ADD CONSTRAINT deliveries_event_kind_check CHECK ((kind = 'event') = (partner_event_id IS NOT NULL)),
     ADD CONSTRAINT deliveries_withdrawn_check CHECK (status <> 'withdrawn' OR (withdrawn_at IS NOT NULL AND kind = 'sale'))`,
  `DROP INDEX deliveries_sale_target_key`,
  `CREATE UNIQUE INDEX deliveries_sale_target_key ON deliveries (global_id, target, kind) WHERE kind <> 'event'`,
  queueWebhooks('event'),
];

const DOWN = [
  queueWebhooks(''),
  `DELETE FROM delivery_events WHERE delivery_id IN (SELECT id FROM deliveries WHERE kind = 'return')`,
  `DELETE FROM deliveries WHERE kind = 'return'`,
  `DROP INDEX deliveries_sale_target_key`,
  `CREATE UNIQUE INDEX deliveries_sale_target_key ON deliveries (global_id, target) WHERE partner_event_id IS NULL`,
  `UPDATE deliveries SET status = 'dead', last_error = 'withdrawn' WHERE status = 'withdrawn'`,
  `UPDATE delivery_events SET kind = 'dead' WHERE kind = 'withdrawn'`,
  `ALTER TABLE delivery_events
     DROP CONSTRAINT delivery_events_kind_check,
     ADD CONSTRAINT delivery_events_kind_check CHECK (kind IN ('attempt_failed', 'delivered', 'dead', 'retried'))`,
  `ALTER TABLE deliveries
     DROP CONSTRAINT deliveries_withdrawn_check,
     DROP CONSTRAINT deliveries_event_kind_check,
     DROP CONSTRAINT deliveries_status_check,
     ADD CONSTRAINT deliveries_status_check CHECK (status IN ('pending', 'delivered', 'dead')),
     DROP COLUMN withdrawn_at,
     DROP COLUMN kind`,
];
