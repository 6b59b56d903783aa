import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { type BreakerSettings, DEFAULT_BREAKER_SETTINGS, TargetBreaker } from './downstream/circuit-breaker';
import type { DownstreamTarget } from './downstream/downstream-error';
import type { DownstreamSettings } from './downstream/downstream-settings';
import { SalesVuClient } from './downstream/salesvu/salesvu-client';
import { TessituraClient } from './downstream/tessitura/tessitura-client';
import { salesVuSender, tessituraSender } from './features/deliveries/delivery-senders';
import { DeliveryStore } from './features/deliveries/delivery-store';
import { DEFAULT_DISPATCHER_SETTINGS, type DeliveryObserver, Dispatcher, type DispatcherSettings } from './features/deliveries/dispatcher';
import type { Config } from './platform/config';

export type OutboxDependencies = {
  db: Knex;
  logger: Logger;
  downstream: DownstreamSettings;
  deliveries: Config['deliveries'];
  /** Told of every delivery attempt's outcome. */
  observe?: DeliveryObserver;
  /** Tests shorten these. */
  breakerSettings?: BreakerSettings;
  dispatcherSettings?: Partial<typeof DEFAULT_DISPATCHER_SETTINGS>;
};

export type Outbox = {
  store: DeliveryStore;
  dispatcher: Dispatcher;
  breakers: Record<DownstreamTarget, TargetBreaker>;
  /** Clears the breakers' timers. */
  shutdown(): void;
};

/** The downstream side: one client and breaker per target, and the dispatcher that feeds them. */
export function buildOutbox({ db, logger, downstream, deliveries, observe, breakerSettings, dispatcherSettings }: OutboxDependencies): Outbox {
  const breakers = {
    tessitura: new TargetBreaker('tessitura', logger, breakerSettings ?? DEFAULT_BREAKER_SETTINGS),
    salesvu: new TargetBreaker('salesvu', logger, breakerSettings ?? DEFAULT_BREAKER_SETTINGS),
  };
  const tessitura = new TessituraClient(downstream.tessitura, breakers.tessitura, downstream.timeoutMs);
  const salesvu = new SalesVuClient(downstream.salesvu, breakers.salesvu, downstream.timeoutMs);
  const store = new DeliveryStore(db);
  const settings: DispatcherSettings = {
    ...DEFAULT_DISPATCHER_SETTINGS,
    ...dispatcherSettings,
    maxAttempts: deliveries.maxAttempts,
    concurrency: deliveries.concurrency,
    leaseMs: deliveries.leaseMs,
    baseMs: deliveries.backoffBaseMs,
    maxMs: deliveries.backoffMaxMs,
  };
  const dispatcher = new Dispatcher(
    store,
    {
      tessitura: { send: tessituraSender(tessitura, downstream.partners), breaker: breakers.tessitura },
      salesvu: { send: salesVuSender(salesvu, downstream.partners), breaker: breakers.salesvu },
    },
    settings,
    logger.child({ component: 'dispatcher' }),
    observe,
  );
  return {
    store,
    dispatcher,
    breakers,
    shutdown: () => Object.values(breakers).forEach((breaker) => breaker.shutdown()),
  };
}
