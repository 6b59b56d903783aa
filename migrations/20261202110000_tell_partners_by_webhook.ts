import type { Knex } from 'knex';

/**
 * Partners told by webhook. A hold that expires, however it expires (the sweeper, a release past its
 * expiry, a hold that reclaims it), records a `hold.expired` partner event in the same transaction; the
 * outcomes of sale deliveries record theirs as they are marked. Every partner event queues one `webhook`
 * delivery per live endpoint of its partner that asked for its type, in the same transaction: nothing told
 * is lost, and a partner is told only of its own holds.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

// One statement per query: PGlite, unlike a PostgreSQL server, takes no more.
const UP = [
  `CREATE FUNCTION holds_tell_expired() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO partner_events (partner_id, type, global_id, data)
      VALUES (NEW.partner_id, 'hold.expired', NEW.global_id, jsonb_build_object(
        'global_id', NEW.global_id, 'remote_id', NEW.remote_id, 'quantity', NEW.quantity, 'expired_at', NEW.closed_at));
      RETURN NULL;
    END $$`,
  `CREATE TRIGGER holds_tell_expired
      AFTER UPDATE OF status ON holds
      FOR EACH ROW WHEN (NEW.status = 'expired' AND OLD.status = 'held')
      EXECUTE FUNCTION holds_tell_expired()`,
  `CREATE FUNCTION partner_events_queue_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO deliveries (global_id, target, partner_event_id, payload, next_attempt_at)
      SELECT NEW.global_id, 'webhook', NEW.id, jsonb_build_object('endpoint_id', e.id), now()
      FROM webhook_endpoints e
      WHERE e.partner_id = NEW.partner_id AND e.deleted_at IS NULL AND NEW.type = ANY (e.events);
      RETURN NULL;
    END $$`,
  `CREATE TRIGGER partner_events_queue_webhooks
      AFTER INSERT ON partner_events
      FOR EACH ROW EXECUTE FUNCTION partner_events_queue_webhooks()`,
  `CREATE UNIQUE INDEX deliveries_webhook_per_event_key ON deliveries (partner_event_id, (payload ->> 'endpoint_id'))
      WHERE partner_event_id IS NOT NULL`,
];

const DOWN = [
  `DROP INDEX deliveries_webhook_per_event_key`,
  `DROP TRIGGER partner_events_queue_webhooks ON partner_events`,
  `DROP FUNCTION partner_events_queue_webhooks()`,
  `DROP TRIGGER holds_tell_expired ON holds`,
  `DROP FUNCTION holds_tell_expired()`,
];
