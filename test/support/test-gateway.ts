import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import pino, { type Logger } from 'pino';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import {
  SALESVU_DEMO_STORES,
  type SalesVuSimulator,
  type SalesVuSimulatorOptions,
  startSalesVuSimulator,
  startTessituraSimulator,
  TESSITURA_DEMO_CREDENTIALS,
  type TessituraSimulator,
  type TessituraSimulatorOptions,
} from '../../simulators';
import type { BreakerSettings } from '../../src/downstream/circuit-breaker';
import type { DownstreamSettings } from '../../src/downstream/downstream-settings';
import type { DEFAULT_DISPATCHER_SETTINGS } from '../../src/features/deliveries/dispatcher';
import { buildGateway, type Gateway } from '../../src/gateway';
import { type Config, loadConfig, type PartnerMapping } from '../../src/platform/config';
import { type HttpTimeouts, startHttpServer } from '../../src/platform/http-server';
import type { ConfiguredPartnerLimits } from '../../src/features/holds/partner-limits';
import type { WebhookSettings } from '../../src/features/webhooks/webhook-secret-key';
import type { RateLimitSettings } from '../../src/platform/rate-limits';
import type { Role } from '../../src/platform/principal';
import { createTestDatabase, type TestDatabase } from './test-database';

/** Downstream settings that reach nothing: for gateways whose tests never start the dispatcher. */
export const OFFLINE_DOWNSTREAM: DownstreamSettings = {
  tessitura: { url: 'http://127.0.0.1:9/TessituraService', ...TESSITURA_DEMO_CREDENTIALS },
  salesvu: { url: 'http://127.0.0.1:9/townvu/api/index.php', storeKeys: SALESVU_DEMO_STORES },
  partners: {},
  timeoutMs: 1_000,
};

/** Quick retries, so that outbox tests take seconds. */
export const TEST_DELIVERIES: Config['deliveries'] = {
  dispatcher: true,
  concurrency: 4,
  initialConcurrency: 4,
  maxAttempts: 5,
  backoffBaseMs: 50,
  backoffMaxMs: 200,
  leaseMs: 10_000,
};
export const TEST_BREAKER: BreakerSettings = { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 500, rollingCountTimeoutMs: 2_000 };
export const TEST_DISPATCHER: Partial<typeof DEFAULT_DISPATCHER_SETTINGS> = { pollIntervalMs: 100 };
/** A random key, and internal URLs allowed: webhook tests send to servers on loopback. */
export const TEST_WEBHOOKS: WebhookSettings = { secretKey: randomBytes(32), allowPrivateUrls: true, timeoutMs: 2_000 };
export const DEMO_PARTNERS: Record<string, PartnerMapping> = {
  '*': { tessitura: { constituent_id: 1, payment_method_id: 1, mode_of_sale_id: 1, source_id: 1 }, salesvu: { store_id: Object.keys(SALESVU_DEMO_STORES)[0] } },
};

export type TestGateway = {
  gateway: Gateway;
  db: TestDatabase;
  http: TestAgent;
  server: Server;
  adminKey: string;
  /** Present with `simulators: true`. */
  tessitura?: TessituraSimulator;
  salesvu?: SalesVuSimulator;
  downstream?: DownstreamSettings;
  /** Creates a key through the API and answers the secret. */
  createKey(role: Role, partnerId?: string): Promise<string>;
  close(): Promise<void>;
};

export type TestGatewayOptions = {
  holdTtlSeconds?: number;
  requestDeadlineMs?: number;
  /** `HEADERS_TIMEOUT_MS` and `REQUEST_TIMEOUT_MS`; their defaults otherwise. */
  httpTimeouts?: HttpTimeouts;
  poolMax?: number;
  /** Start both simulators and point the outbox at them (the dispatcher is started too). */
  simulators?: boolean;
  /** The simulators' service time and concurrency limit, when they are started. */
  simulatorOptions?: { tessitura?: TessituraSimulatorOptions; salesvu?: SalesVuSimulatorOptions };
  partners?: Record<string, PartnerMapping>;
  deliveries?: Partial<Config['deliveries']>;
  /** Use this database instead of a fresh one (and leave it open on close). */
  db?: TestDatabase;
  /** Send to these targets (another test gateway's simulators, say); the dispatcher is started. */
  downstream?: DownstreamSettings;
  /** Request rate limits; the production defaults otherwise. */
  rateLimits?: RateLimitSettings;
  /** `PARTNER_LIMITS`; the built-in limits otherwise. */
  partnerLimits?: ConfiguredPartnerLimits;
  /** Log here instead of nowhere (tests of what is logged). */
  logger?: Logger;
  /** `TEST_WEBHOOKS` otherwise. */
  webhooks?: Partial<WebhookSettings>;
  /** The waits between a webhook's attempts; the production schedule (over 24 hours) otherwise. */
  webhookRetryDelaysMs?: readonly number[];
  /** The gateway's clock for the SLO's minutes; Date.now otherwise. */
  clock?: () => number;
};

async function startSimulators(partners: Record<string, PartnerMapping>, options: TestGatewayOptions['simulatorOptions'] = {}) {
  const [tessitura, salesvu] = await Promise.all([startTessituraSimulator(options.tessitura), startSalesVuSimulator(options.salesvu)]);
  const settings: DownstreamSettings = {
    tessitura: { url: tessitura.url, ...TESSITURA_DEMO_CREDENTIALS },
    salesvu: { url: salesvu.url, storeKeys: SALESVU_DEMO_STORES },
    partners,
    timeoutMs: 2_000,
  };
  return { tessitura, salesvu, settings };
}

/** A gateway on a fresh database, listening on a free port, checking every answer against the spec. */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const db = options.db ?? (await createTestDatabase({ poolMax: options.poolMax }));
  const simulators = options.simulators ? await startSimulators(options.partners ?? DEMO_PARTNERS, options.simulatorOptions) : undefined;
  const downstream = options.downstream ?? simulators?.settings;
  const gateway = buildGateway({
    config: {
      holdTtlSeconds: options.holdTtlSeconds ?? 900,
      piiRetentionDays: 30,
      requestDeadlineMs: options.requestDeadlineMs ?? 4_500,
      rateLimits: options.rateLimits ?? loadConfig({}).rateLimits,
      keyConcurrency: loadConfig({}).keyConcurrency,
      partnerLimits: options.partnerLimits,
    },
    db: db.knex,
    databaseEngine: db.engine,
    logger: options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    validateResponses: true,
    downstream: downstream ?? OFFLINE_DOWNSTREAM,
    deliveries: { ...TEST_DELIVERIES, ...options.deliveries },
    breakerSettings: TEST_BREAKER,
    webhooks: { ...TEST_WEBHOOKS, ...options.webhooks },
    dispatcherSettings: TEST_DISPATCHER,
    webhookRetryDelaysMs: options.webhookRetryDelaysMs,
    clock: options.clock,
  });
  if (downstream) gateway.outbox.dispatcher.start();
  const bootstrap = await gateway.apiKeys.ensureAdminKey(undefined);
  const adminKey = bootstrap.outcome === 'generated' ? bootstrap.key : await adminKeyFor(gateway);
  // The gateway's own HTTP server, with its timeouts and its answers to slow or malformed clients.
  const { server } = await startHttpServer(gateway.app, 0, options.httpTimeouts ?? loadConfig({}).httpTimeouts, '127.0.0.1');
  const http = supertest(server);
  let keyCount = 0;
  return {
    gateway,
    db,
    http,
    server,
    adminKey,
    tessitura: simulators?.tessitura,
    salesvu: simulators?.salesvu,
    downstream,
    async createKey(role, partnerId) {
      const response = await http
        .post('/v1/api-keys')
        .set('X-Api-Key', adminKey)
        .send({ name: `${role}-${++keyCount}`, role, ...(partnerId && { partner_id: partnerId }) })
        .expect(201);
      return response.body.key as string;
    },
    async close() {
      await gateway.outbox.dispatcher.stop(0);
      gateway.outbox.shutdown();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      // As a process shuts down: the latency flush runs once more, after the last answer.
      await Promise.all(Object.values(gateway.jobs).map((job) => job.stop()));
      await Promise.all([simulators?.tessitura.close(), simulators?.salesvu.close()]);
      if (!options.db) await db.close();
    },
  };
}

/** A second gateway on a database that already has an admin key: make one more for the tests. */
async function adminKeyFor(gateway: Gateway): Promise<string> {
  const { key } = await gateway.apiKeys.create({ name: `test-admin-${process.hrtime.bigint()}`, role: 'admin' });
  return key;
}
