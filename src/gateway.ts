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
import { cancellationRoutes } from './features/cancellations/cancellation-routes';
import { CancellationService } from './features/cancellations/cancellation-service';
import { CancellationStore } from './features/cancellations/cancellation-store';
import { DeliveryService } from './features/deliveries/delivery-service';
import { pageRoutes } from './features/pages/page-routes';
import { healthRoutes } from './features/health/health-routes';
import { HoldDetailService } from './features/holds/hold-detail-service';
import { expireDueHolds, sweepExpiredHolds } from './features/holds/hold-expiry-sweeper';
import { holdRoutes } from './features/holds/hold-routes';
import { HoldSearchService } from './features/holds/hold-search-service';
import { HoldService } from './features/holds/hold-service';
import { HoldStore } from './features/holds/hold-store';
import { partnerLimits } from './features/holds/partner-limits';
import { scrubCustomerData } from './features/invoices/customer-data-scrubber';
import { invoiceRoutes } from './features/invoices/invoice-routes';
import { InvoiceService } from './features/invoices/invoice-service';
import { InvoiceStore } from './features/invoices/invoice-store';
import { LedgerStore } from './features/ledger/ledger-store';
import { listingRoutes } from './features/listings/listing-routes';
import { ListingService } from './features/listings/listing-service';
import { ListingStore } from './features/listings/listing-store';
import { WebhookEndpointStore } from './features/webhooks/webhook-endpoint-store';
import { webhookRoutes } from './features/webhooks/webhook-routes';
import { WebhookService } from './features/webhooks/webhook-service';
import { buildOutbox, type Outbox, type OutboxDependencies } from './outbox';
import { countDeliveryOutcomes, registerGatewayMetrics } from './features/monitoring/gateway-metrics';
import { monitoringRoutes } from './features/monitoring/monitoring-routes';
import { registerReconciliationMetrics } from './features/reconciliation/reconciliation-metrics';
import { reconciliationRoutes } from './features/reconciliation/reconciliation-routes';
import { ReconciliationService } from './features/reconciliation/reconciliation-service';
import { ReconciliationStore } from './features/reconciliation/reconciliation-store';
import { flushLatency, keepLatencyTables } from './features/monitoring/latency-jobs';
import { LatencyRecorder } from './features/monitoring/latency-recorder';
import { LatencyStore } from './features/monitoring/latency-store';
import { callerOperations, operationCatalog } from './features/monitoring/operation-catalog';
import { SloReporter } from './features/monitoring/slo-reporter';
import type { Config } from './platform/config';
import { createHttpMetrics } from './platform/http-metrics';
import type { DatabaseEngine } from './platform/database';
import { boundQueriesByDeadline } from './platform/request-context';
import type { PeriodicJob } from './platform/periodic-job';

export type GatewayDependencies = Omit<OutboxDependencies, 'observe'> & {
  config: Pick<Config, 'holdTtlSeconds' | 'piiRetentionDays' | 'requestDeadlineMs' | 'rateLimits' | 'partnerLimits' | 'keyConcurrency'>;
  db: Knex;
  databaseEngine: DatabaseEngine;
  logger: Logger;
  validateResponses?: boolean;
  /** Milliseconds since the epoch, for the SLO's minutes; Date.now otherwise (tests move it). */
  clock?: () => number;
};

export type Gateway = {
  app: Express;
  apiKeys: ApiKeyService;
  outbox: Outbox;
  jobs: { holdExpiry: PeriodicJob; customerData: PeriodicJob; latencyFlush: PeriodicJob; latencyUpkeep: PeriodicJob };
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
  registerGatewayMetrics({ registry, listings: listingStore, deliveries: outbox.store, targets: outbox.targets, db, logger });
  const reconciliationStore = new ReconciliationStore(db);
  registerReconciliationMetrics({ registry, runs: reconciliationStore, logger });
  const clock = dependencies.clock ?? Date.now;
  const operations = operationCatalog();
  const latencyStore = new LatencyStore(db);
  const latency = new LatencyRecorder(latencyStore, callerOperations(operations), clock);
  const slo = new SloReporter(latency, latencyStore, operations, clock);
  const deliveriesDue = new DeliveriesSignal(db, onPostgres, () => outbox.dispatcher.wake(), logger);
  const wakeDispatcher = () => deliveriesDue.raise();

  const apiKeyStore = new ApiKeyStore(db);
  const apiKeys = new ApiKeyService(db, apiKeyStore);
  const listings = new ListingService(listingStore, (remoteIds) => expireDueHolds(holdStore, remoteIds));
  const holds = new HoldService(holdStore, config.holdTtlSeconds, partnerLimits(config.partnerLimits));
  const holdDetails = new HoldDetailService(holdStore, new LedgerStore(db), invoiceStore, outbox.store, apiKeyStore);
  const invoices = new InvoiceService(invoiceStore, wakeDispatcher);
  const cancellations = new CancellationService(new CancellationStore(db), outbox.store, wakeDispatcher);
  const webhooks = new WebhookService(new WebhookEndpointStore(db, dependencies.webhooks.secretKey), apiKeyStore, dependencies.webhooks.allowPrivateUrls);
  const deliveries = new DeliveryService(outbox.store, outbox.targets, wakeDispatcher);
  const reconciliation = new ReconciliationService(reconciliationStore, dependencies.downstream, logger.child({ component: 'reconciliation' }));

  const app = createApp({
    logger,
    keys: apiKeys,
    validateResponses,
    metrics: httpMetrics,
    onAnswer: (method, route, status, seconds) => latency.record(method, route, status, seconds),
    requestDeadlineMs: config.requestDeadlineMs,
    rateLimits: config.rateLimits,
    keyConcurrency: config.keyConcurrency,
    pages: pageRoutes(),
    routers: [
      healthRoutes(db),
      listingRoutes(listings),
      holdRoutes(holds, holdDetails, new HoldSearchService(holdStore)),
      invoiceRoutes(invoices),
      cancellationRoutes(cancellations),
      deliveryRoutes(deliveries),
      reconciliationRoutes(reconciliation),
      monitoringRoutes(registry, slo),
      apiKeyRoutes(apiKeys),
      webhookRoutes(webhooks),
    ],
  });
  return {
    app,
    apiKeys,
    outbox,
    jobs: {
      holdExpiry: sweepExpiredHolds(holdStore, logger),
      customerData: scrubCustomerData(invoiceStore, config.piiRetentionDays, logger),
      latencyFlush: flushLatency(latency, logger),
      latencyUpkeep: keepLatencyTables(latencyStore, clock, logger),
    },
    metrics: registry,
  };
}
