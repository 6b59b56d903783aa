import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, type Registry } from 'prom-client';
import type { BreakerState } from '../../downstream/circuit-breaker';
import type { DeliveryObserver } from '../deliveries/dispatcher';
import type { DeliveryStore } from '../deliveries/delivery-store';
import { downstreamSystems, type LiveTarget } from '../deliveries/targets/delivery-target';
import type { ListingStore } from '../listings/listing-store';

const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

type Sources = {
  registry: Registry;
  listings: ListingStore;
  deliveries: DeliveryStore;
  targets: ReadonlyMap<string, LiveTarget>;
  db: Knex;
  logger: Logger;
};

/** Answers undefined (and logs) when a scrape-time query fails, so that /metrics still answers. */
export async function scraped<T>(logger: Logger, what: string, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    logger.warn({ err }, `metrics: could not read ${what}`);
    return undefined;
  }
}

/** Counts delivery attempts by outcome; answers the dispatcher's observer. */
export function countDeliveryOutcomes(registry: Registry): DeliveryObserver {
  const outcomes = new Counter({
    name: 'ticket_gateway_delivery_outcomes_total',
    help: 'Delivery attempts per target, by outcome: delivered, retry, dead, or postponed (breaker open).',
    labelNames: ['target', 'outcome'],
    registers: [registry],
  });
  return (target, outcome) => outcomes.inc({ target, outcome });
}

/**
 * The gateway's own metrics beside the HTTP ones: tickets by state, the outbox per target, breaker
 * states and transitions, the dispatcher's concurrency limits, database pool use and the process's defaults. Gauges read the database when
 * scraped; counters are told as things happen.
 */
export function registerGatewayMetrics({ registry, listings, deliveries, targets, db, logger }: Sources): void {
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'ticket_gateway_tickets',
    help: 'Tickets across all listings, by state (quantity = available + held + sold).',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const totals = await scraped(logger, 'ticket totals', () => listings.ticketTotals());
      if (totals) for (const [state, value] of Object.entries(totals)) this.set({ state }, value);
    },
  });

  const oldest = new Gauge({
    name: 'ticket_gateway_outbox_oldest_pending_seconds',
    help: 'Age of the oldest pending delivery per target (0 when none is pending).',
    labelNames: ['target'],
    registers: [registry],
  });
  new Gauge({
    name: 'ticket_gateway_outbox_deliveries',
    help: 'Deliveries waiting (pending) or needing staff (dead), per target.',
    labelNames: ['target', 'status'],
    registers: [registry],
    async collect() {
      const backlog = await scraped(logger, 'the outbox', () => deliveries.backlog());
      if (!backlog) return;
      for (const { name: target } of downstreamSystems(targets)) {
        const counts = backlog.get(target);
        this.set({ target, status: 'pending' }, counts?.pending ?? 0);
        this.set({ target, status: 'dead' }, counts?.dead ?? 0);
        oldest.set({ target }, counts?.oldestPendingSeconds ?? 0);
      }
    },
  });

  new Gauge({
    name: 'ticket_gateway_breaker_state',
    help: 'Circuit breaker state per target: 0 closed, 1 half-open, 2 open.',
    labelNames: ['target'],
    registers: [registry],
    collect() {
      for (const target of downstreamSystems(targets)) this.set({ target: target.name }, BREAKER_STATE_VALUE[target.breakerState()]);
    },
  });
  const transitions = new Counter({
    name: 'ticket_gateway_breaker_transitions_total',
    help: 'Circuit breaker state changes per target, by the state entered.',
    labelNames: ['target', 'state'],
    registers: [registry],
  });
  for (const target of downstreamSystems(targets)) target.onBreakerChange((state) => transitions.inc({ target: target.name, state }));

  new Gauge({
    name: 'ticket_gateway_delivery_concurrency_limit',
    help: "Deliveries this process's dispatcher may send at once per target: the adaptive limit (webhook: the fixed most).",
    labelNames: ['target'],
    registers: [registry],
    collect() {
      for (const target of downstreamSystems(targets)) this.set({ target: target.name }, target.concurrency.current);
    },
  });

  new Gauge({
    name: 'ticket_gateway_db_pool_connections',
    help: 'Database connections of this process: used, free, and requests waiting for one.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const pool = (db.client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number } }).pool;
      if (!pool) return;
      this.set({ state: 'used' }, pool.numUsed());
      this.set({ state: 'free' }, pool.numFree());
      this.set({ state: 'pending' }, pool.numPendingAcquires());
    },
  });
}
