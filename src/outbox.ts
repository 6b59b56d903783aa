import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { type BreakerSettings, DEFAULT_BREAKER_SETTINGS } from './downstream/circuit-breaker';
import type { DownstreamSettings } from './downstream/downstream-settings';
import { DeliveryStore } from './features/deliveries/delivery-store';
import { DEFAULT_DISPATCHER_SETTINGS, type DeliveryObserver, Dispatcher, type DispatcherSettings } from './features/deliveries/dispatcher';
import { connectTargets, type LiveTarget } from './features/deliveries/targets/delivery-target';
import { DELIVERY_TARGETS } from './features/deliveries/targets/registry';
import type { WebhookSettings } from './features/webhooks/webhook-secret-key';
import type { Config } from './platform/config';

export type OutboxDependencies = {
  db: Knex;
  logger: Logger;
  downstream: DownstreamSettings;
  deliveries: Config['deliveries'];
  webhooks: WebhookSettings;
  /** Told of every delivery attempt's outcome. */
  observe?: DeliveryObserver;
  /** Tests shorten these. */
  breakerSettings?: BreakerSettings;
  dispatcherSettings?: Partial<typeof DEFAULT_DISPATCHER_SETTINGS>;
  webhookRetryDelaysMs?: readonly number[];
};

export type Outbox = {
  store: DeliveryStore;
  dispatcher: Dispatcher;
  /** Every target of the registry, connected, by name. */
  targets: ReadonlyMap<string, LiveTarget>;
  /** Clears the breakers' timers. */
  shutdown(): void;
};

/** The downstream side: every target of the registry connected (clients, breakers), and the dispatcher that feeds them. */
export function buildOutbox(dependencies: OutboxDependencies): Outbox {
  const { db, logger, downstream, deliveries, observe, breakerSettings, dispatcherSettings } = dependencies;
  const targets = connectTargets(DELIVERY_TARGETS, {
    db,
    logger,
    downstream,
    breakerSettings: breakerSettings ?? DEFAULT_BREAKER_SETTINGS,
    concurrency: { initial: deliveries.initialConcurrency, max: deliveries.concurrency },
    webhooks: { ...dependencies.webhooks, retryDelaysMs: dependencies.webhookRetryDelaysMs },
  });
  const store = new DeliveryStore(db);
  const settings: DispatcherSettings = {
    ...DEFAULT_DISPATCHER_SETTINGS,
    ...dispatcherSettings,
    maxAttempts: deliveries.maxAttempts,
    leaseMs: deliveries.leaseMs,
    baseMs: deliveries.backoffBaseMs,
    maxMs: deliveries.backoffMaxMs,
  };
  const dispatcher = new Dispatcher(store, targets, settings, logger.child({ component: 'dispatcher' }), observe);
  return {
    store,
    dispatcher,
    targets,
    shutdown: () => targets.forEach((target) => target.shutdown()),
  };
}
