import { RequestLog } from '../shared/request-log';
import { startSimulator, type Simulator, type SimulatorOptions } from '../shared/start-simulator';
import { TESSITURA_DEMO_CREDENTIALS, type TessituraCredentials } from './basic-auth';
import { CartService } from './cart-service';
import { Catalogue } from './catalogue';
import { catalogueAdminRoutes } from './catalogue-admin-routes';
import { TESSITURA_OPERATIONS } from './operations';
import { OrderBook } from './order-book';
import { SessionStore } from './session-store';
import { TESSITURA_BASE_PATH, tessituraApi } from './tessitura-api';
import { injectedFailureBody } from './tessitura-error';
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
}

const MINUTE_MS = 60_000;

export async function startTessituraSimulator(options: TessituraSimulatorOptions = {}): Promise<TessituraSimulator> {
  const catalogue = new Catalogue();
  const orders = new OrderBook();
  const sessions = new SessionStore(
    { sessionTtlMs: options.sessionTtlMs ?? 20 * MINUTE_MS, reservationTtlMs: options.reservationTtlMs ?? 15 * MINUTE_MS },
    (item) => catalogue.release(item.performance.id, item.zone.id, item.subLineItems.map((sub) => sub.seatNumber)),
  );
  const cart = new CartService(catalogue, orders);
  const log = new RequestLog();
  const credentials = options.credentials ?? TESSITURA_DEMO_CREDENTIALS;

  const simulator = await startSimulator(
    {
      name: 'tessitura',
      basePath: TESSITURA_BASE_PATH,
      operations: TESSITURA_OPERATIONS,
      state: new TessituraState(log, sessions, orders, catalogue),
      log,
      api: (faultGate) => tessituraApi({ sessions, cart, credentials }, faultGate),
      failureBody: injectedFailureBody,
      adminRoutes: catalogueAdminRoutes(catalogue),
    },
    options,
  );
  const cleanup = setInterval(() => sessions.sweep(), options.cleanupIntervalMs ?? MINUTE_MS);
  cleanup.unref();
  return {
    ...simulator,
    catalogue,
    close: async () => {
      clearInterval(cleanup);
      await simulator.close();
    },
  };
}
