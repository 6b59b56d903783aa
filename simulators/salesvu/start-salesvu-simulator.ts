import { driftAdminRoutes, type OrderDrift } from '../shared/drift-admin-routes';
import { RequestLog } from '../shared/request-log';
import { startSimulator, type Simulator, type SimulatorOptions } from '../shared/start-simulator';
import { SALESVU_OPERATIONS } from './operations';
import { SalesVuDrift } from './order-drift';
import { OrderStore } from './order-store';
import { SALESVU_PATH, salesVuApi, type SalesVuStores } from './salesvu-api';
import { busyBody, injectedFailureBody } from './salesvu-error';
import { SalesVuState } from './salesvu-state';

/** Documented demo store: store_id "1001" with api_key "salesvu-demo-key". */
export const SALESVU_DEMO_STORES: SalesVuStores = { '1001': 'salesvu-demo-key' };

export interface SalesVuSimulatorOptions extends SimulatorOptions {
  /** Store id -> API key (default SALESVU_DEMO_STORES). */
  stores?: SalesVuStores;
}

export interface SalesVuSimulator extends Simulator<SalesVuState> {
  /** Orders lost or changed behind the gateway's back (what reconciliation finds). */
  readonly drift: OrderDrift;
}

export async function startSalesVuSimulator(options: SalesVuSimulatorOptions = {}): Promise<SalesVuSimulator> {
  const orders = new OrderStore();
  const stores = options.stores ?? SALESVU_DEMO_STORES;
  const log = new RequestLog();
  const drift = new SalesVuDrift(orders);
  const simulator = await startSimulator(
    {
      name: 'salesvu',
      basePath: SALESVU_PATH,
      operations: SALESVU_OPERATIONS,
      state: new SalesVuState(log, orders),
      log,
      recording: { redactKeys: ['api_key'] },
      api: (faultGate) => salesVuApi(orders, stores, faultGate),
      failureBody: injectedFailureBody,
      busyBody,
      adminRoutes: driftAdminRoutes(drift),
    },
    options,
  );
  return { ...simulator, drift };
}
