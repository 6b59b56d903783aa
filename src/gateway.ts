import type { Express } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { createApp } from './app';
import { apiKeyRoutes } from './features/api-keys/api-key-routes';
import { ApiKeyService } from './features/api-keys/api-key-service';
import { ApiKeyStore } from './features/api-keys/api-key-store';
import { DeliveriesSignal } from './features/deliveries/deliveries-signal';
import { deliveryRoutes } from './features/deliveries/delivery-routes';
import { DeliveryService } from './features/deliveries/delivery-service';
import { pageRoutes } from './features/pages/page-routes';
import { healthRoutes } from './features/health/health-routes';
import { HoldDetailService } from './features/holds/hold-detail-service';
import { expireDueHolds, sweepExpiredHolds } from './features/holds/hold-expiry-sweeper';
import { holdRoutes } from './features/holds/hold-routes';
import { HoldSearchService } from './features/holds/hold-search-service';
import { HoldService } from './features/holds/hold-service';
import { HoldStore } from './features/holds/hold-store';
import { scrubCustomerData } from './features/invoices/customer-data-scrubber';
import { invoiceRoutes } from './features/invoices/invoice-routes';
import { InvoiceService } from './features/invoices/invoice-service';
import { InvoiceStore } from './features/invoices/invoice-store';
import { LedgerStore } from './features/ledger/ledger-store';
import { listingRoutes } from './features/listings/listing-routes';
import { ListingService } from './features/listings/listing-service';
import { ListingStore } from './features/listings/listing-store';
import { buildOutbox, type Outbox, type OutboxDependencies } from './outbox';
import { countDeliveryOutcomes, registerGatewayMetrics } from './features/monitoring/gateway-metrics';
import { monitoringRoutes } from './features/monitoring/monitoring-routes';
import { operationNames } from './features/monitoring/operation-names';
import { SloTracker } from './features/monitoring/slo-tracker';
import type { Config } from './platform/config';
import { createHttpMetrics } from './platform/http-metrics';
import type { DatabaseEngine } from './platform/database';
import { boundQueriesByDeadline } from './platform/request-context';
import type { PeriodicJob } from './platform/periodic-job';

export type GatewayDependencies = Omit<OutboxDependencies, 'observe'> & {
  config: Pick<Config, 'holdTtlSeconds' | 'piiRetentionDays' | 'requestDeadlineMs'>;
  db: Knex;
  databaseEngine: DatabaseEngine;
  logger: Logger;
  validateResponses?: boolean;
};

export type Gateway = {
  app: Express;
  apiKeys: ApiKeyService;
  outbox: Outbox;
  jobs: { holdExpiry: PeriodicJob; customerData: PeriodicJob };
  slo: SloTracker;
  metrics: Registry;
};

/** The composition root: stores, then services, then the HTTP app. */
export function buildGateway(dependencies: GatewayDependencies): Gateway {
  const { config, db, logger, validateResponses } = dependencies;
  const onPostgres = dependencies.databaseEngine === 'postgres';
  // PostgreSQL can cancel a query running at a request's deadline; PGlite cannot.
  boundQueriesByDeadline(db, onPostgres);
  const registry = new Registry();
  const httpMetrics = createHttpMetrics(registry);
  const holdStore = new HoldStore(db);
  const invoiceStore = new InvoiceStore(db);
  const listingStore = new ListingStore(db);
  const outbox = buildOutbox({ ...dependencies, observe: countDeliveryOutcomes(registry) });
  registerGatewayMetrics({ registry, listings: listingStore, deliveries: outbox.store, breakers: outbox.breakers, db, logger });
  const slo = new SloTracker(httpMetrics.duration, operationNames());
  const deliveriesDue = new DeliveriesSignal(db, onPostgres, () => outbox.dispatcher.wake(), logger);
  const wakeDispatcher = () => deliveriesDue.raise();

  const apiKeys = new ApiKeyService(db, new ApiKeyStore(db));
  const listings = new ListingService(listingStore, (remoteIds) => expireDueHolds(holdStore, remoteIds));
  const holds = new HoldService(holdStore, config.holdTtlSeconds);
  const holdDetails = new HoldDetailService(holdStore, new LedgerStore(db), invoiceStore, outbox.store);
  const invoices = new InvoiceService(invoiceStore, wakeDispatcher);
  const deliveries = new DeliveryService(outbox.store, outbox.breakers, wakeDispatcher);

  const app = createApp({
    logger,
    keys: apiKeys,
    validateResponses,
    metrics: httpMetrics,
    requestDeadlineMs: config.requestDeadlineMs,
    pages: pageRoutes(),
    routers: [
      healthRoutes(db),
      listingRoutes(listings),
      holdRoutes(holds, holdDetails, new HoldSearchService(holdStore)),
      invoiceRoutes(invoices),
      deliveryRoutes(deliveries),
      monitoringRoutes(registry, slo),
      apiKeyRoutes(apiKeys),
    ],
  });
  return {
    app,
    apiKeys,
    outbox,
    jobs: {
      holdExpiry: sweepExpiredHolds(holdStore, logger),
      customerData: scrubCustomerData(invoiceStore, config.piiRetentionDays, logger),
    },
    slo,
    metrics: registry,
  };
}
