import {
  startSalesVuSimulator,
  startTessituraSimulator,
  type SalesVuSimulator,
  type SalesVuSimulatorOptions,
  type TessituraSimulator,
  type TessituraSimulatorOptions,
} from '../../../simulators';
import { tessituraClient, type TessituraClient } from './tessitura-client';

/** A fresh Tessitura simulator (port 0) and a demo-authenticated client for each test of the block. */
export function useTessituraSimulator(options: TessituraSimulatorOptions = {}) {
  const fixture = {} as { tess: TessituraSimulator; api: TessituraClient; admin: string };
  beforeEach(async () => {
    fixture.tess = await startTessituraSimulator({ port: 0, ...options });
    fixture.api = tessituraClient(fixture.tess.url);
    fixture.admin = new URL(fixture.tess.url).origin;
  });
  afterEach(() => fixture.tess.close());
  return fixture;
}

/** A fresh SalesVu simulator (port 0) for each test of the block. */
export function useSalesVuSimulator(options: SalesVuSimulatorOptions = {}) {
  const fixture = {} as { svu: SalesVuSimulator };
  beforeEach(async () => {
    fixture.svu = await startSalesVuSimulator({ port: 0, ...options });
  });
  afterEach(() => fixture.svu.close());
  return fixture;
}
