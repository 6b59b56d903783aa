import express from 'express';
import { RequestLog } from '../shared/request-log';
import { startSimulator, type Simulator, type SimulatorOptions } from '../shared/start-simulator';
import { TESSITURA_DEMO_CREDENTIALS, type TessituraCredentials } from './basic-auth';
import { behaviourAdminRoutes } from './behaviour-admin-routes';
import { CartService } from './cart-service';
import { Catalogue } from './catalogue';
import { catalogueAdminRoutes } from './catalogue-admin-routes';
import { driftAdminRoutes, type OrderDrift } from '../shared/drift-admin-routes';
import { TessituraDrift } from './order-drift';
import { TESSITURA_OPERATIONS } from './operations';
import { OrderBook } from './order-book';
import { OrderReturns } from './order-returns';
import { SaleBehaviour } from './sale-behaviour';
import { SessionStore } from './session-store';
import { TESSITURA_BASE_PATH, tessituraApi } from './tessitura-api';
import { busyBody, injectedFailureBody } from './tessitura-error';
import { TessituraState } from './tessitura-state';

export interface TessituraSimulatorOptions extends SimulatorOptions {
  /** Defaults to TESSITURA_DEMO_CREDENTIALS. */
  credentials?: TessituraCredentials;
  /** Inactivity after which a session is gone (default 20 minutes). */
  sessionTtlMs?: number;
  /** Age at which an unpaid seat reservation is released (default 15 minutes). */
  reservationTtlMs?: number;
  /** How often expired sessions and reservations are swept (default 60 s). */
  cleanupIntervalMs?: number;
}

export type CatalogueControls = Pick<Catalogue, 'definePerformance' | 'removePerformance' | 'availability'>;

export interface TessituraSimulator extends Simulator<TessituraState> {
  /** Define performances with limited zones/capacity/prices, or make one unknown. */
  readonly catalogue: CatalogueControls;
  /** Checkouts that end SaveInProgress or Error, reservations of fewer seats than asked. */
  readonly behaviour: Pick<SaleBehaviour, 'endCheckouts' | 'shortenReservations' | 'reset'>;
  /** Saved orders lost or changed behind the gateway's back (what reconciliation finds). */
  readonly drift: OrderDrift;
}

const MINUTE_MS = 60_000;

export async function startTessituraSimulator(options: TessituraSimulatorOptions = {}): Promise<TessituraSimulator> {
  const catalogue = new Catalogue();
  const orders = new OrderBook();
  const sessions = new SessionStore(
    { sessionTtlMs: options.sessionTtlMs ?? 20 * MINUTE_MS, reservationTtlMs: options.reservationTtlMs ?? 15 * MINUTE_MS },
    (item) => catalogue.release(item.performance.id, item.zone.id, item.subLineItems.map((sub) => sub.seatNumber)),
  );
  const behaviour = new SaleBehaviour();
  const drift = new TessituraDrift(orders);
  const cart = new CartService(catalogue, orders, behaviour);
  const returns = new OrderReturns(sessions, orders);
  const log = new RequestLog();
  const credentials = options.credentials ?? TESSITURA_DEMO_CREDENTIALS;

  const simulator = await startSimulator(
    {
      name: 'tessitura',
      basePath: TESSITURA_BASE_PATH,
      operations: TESSITURA_OPERATIONS,
      state: new TessituraState(log, sessions, orders, catalogue, behaviour),
      log,
      api: (faultGate) => tessituraApi({ sessions, cart, orders, returns, credentials }, faultGate),
      failureBody: injectedFailureBody,
      busyBody,
      adminRoutes: express.Router().use(catalogueAdminRoutes(catalogue), behaviourAdminRoutes(behaviour), driftAdminRoutes(drift)),
    },
    options,
  );
  const cleanup = setInterval(() => sessions.sweep(), options.cleanupIntervalMs ?? MINUTE_MS);
  cleanup.unref();
  return {
    ...simulator,
    catalogue,
    behaviour,
    drift,
    close: async () => {
      clearInterval(cleanup);
      await simulator.close();
    },
  };
}
