import type { Express } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createApp } from './app';
import { apiKeyRoutes } from './features/api-keys/api-key-routes';
import { ApiKeyService } from './features/api-keys/api-key-service';
import { ApiKeyStore } from './features/api-keys/api-key-store';
import { healthRoutes } from './features/health/health-routes';
import { HoldDetailService } from './features/holds/hold-detail-service';
import { HoldExpirySweeper } from './features/holds/hold-expiry-sweeper';
import { holdRoutes } from './features/holds/hold-routes';
import { HoldService } from './features/holds/hold-service';
import { HoldStore } from './features/holds/hold-store';
import { invoiceRoutes } from './features/invoices/invoice-routes';
import { InvoiceService } from './features/invoices/invoice-service';
import { InvoiceStore } from './features/invoices/invoice-store';
import { LedgerStore } from './features/ledger/ledger-store';
import { listingRoutes } from './features/listings/listing-routes';
import { ListingService } from './features/listings/listing-service';
import { ListingStore } from './features/listings/listing-store';
import type { Config } from './platform/config';

export type GatewayDependencies = {
  config: Pick<Config, 'holdTtlSeconds'>;
  db: Knex;
  logger: Logger;
  validateResponses?: boolean;
};

export type Gateway = {
  app: Express;
  apiKeys: ApiKeyService;
  sweeper: HoldExpirySweeper;
};

/** The composition root: stores, then services, then the HTTP app. */
export function buildGateway({ config, db, logger, validateResponses }: GatewayDependencies): Gateway {
  const holdStore = new HoldStore(db);
  const invoiceStore = new InvoiceStore(db);

  const apiKeys = new ApiKeyService(db, new ApiKeyStore(db));
  const listings = new ListingService(new ListingStore(db));
  const holds = new HoldService(holdStore, config.holdTtlSeconds);
  const holdDetails = new HoldDetailService(holdStore, new LedgerStore(db), invoiceStore);
  const invoices = new InvoiceService(invoiceStore, () => undefined);

  const app = createApp({
    logger,
    keys: apiKeys,
    validateResponses,
    routers: [
      healthRoutes(db),
      listingRoutes(listings),
      holdRoutes(holds, holdDetails),
      invoiceRoutes(invoices),
      apiKeyRoutes(apiKeys),
    ],
  });
  return { app, apiKeys, sweeper: new HoldExpirySweeper(holdStore, logger) };
}
