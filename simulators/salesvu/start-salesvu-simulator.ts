import { RequestLog } from '../shared/request-log';
import { startSimulator, type Simulator, type SimulatorOptions } from '../shared/start-simulator';
import { SALESVU_OPERATIONS } from './operations';
import { OrderStore } from './order-store';
import { SALESVU_PATH, salesVuApi, type SalesVuStores } from './salesvu-api';
import { injectedFailureBody } from './salesvu-error';
import { SalesVuState } from './salesvu-state';

/** Documented demo store: store_id "1001" with api_key "salesvu-demo-key". */
export const SALESVU_DEMO_STORES: SalesVuStores = { '1001': 'salesvu-demo-key' };

export interface SalesVuSimulatorOptions extends SimulatorOptions {
  /** Store id -> API key (default SALESVU_DEMO_STORES). */
  stores?: SalesVuStores;
}

export type SalesVuSimulator = Simulator<SalesVuState>;

export function startSalesVuSimulator(options: SalesVuSimulatorOptions = {}): Promise<SalesVuSimulator> {
  const orders = new OrderStore();
  const stores = options.stores ?? SALESVU_DEMO_STORES;
  const log = new RequestLog();
  return startSimulator(
    {
      name: 'salesvu',
      basePath: SALESVU_PATH,
      operations: SALESVU_OPERATIONS,
      state: new SalesVuState(log, orders),
      log,
      recording: { redactKeys: ['api_key'] },
      api: (faultGate) => salesVuApi(orders, stores, faultGate),
      failureBody: injectedFailureBody,
    },
    options,
  );
}
