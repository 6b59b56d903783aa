import { createServer } from 'node:net';
import {
  SALESVU_DEMO_STORES,
  type SalesVuSimulator,
  startSalesVuSimulator,
  startTessituraSimulator,
  TESSITURA_DEMO_CREDENTIALS,
  type TessituraSimulator,
} from '../../simulators';
import { DEMO_PARTNERS } from './test-gateway';

export type ExternalDownstream = {
  tessitura: TessituraSimulator;
  salesvu: SalesVuSimulator;
  /** The environment that points a gateway process at these simulators. */
  env: Record<string, string>;
  close(): Promise<void>;
};

/** Simulators in the test process, outliving the gateway processes it starts, kills and restarts. */
export async function startExternalDownstream(): Promise<ExternalDownstream> {
  const [tessitura, salesvu] = await Promise.all([startTessituraSimulator(), startSalesVuSimulator()]);
  return {
    tessitura,
    salesvu,
    env: {
      TESSITURA_URL: tessitura.url,
      TESSITURA_USERNAME: TESSITURA_DEMO_CREDENTIALS.username,
      TESSITURA_USERGROUP: TESSITURA_DEMO_CREDENTIALS.userGroup,
      TESSITURA_LOCATION: TESSITURA_DEMO_CREDENTIALS.location,
      TESSITURA_PASSWORD: TESSITURA_DEMO_CREDENTIALS.password,
      SALESVU_URL: salesvu.url,
      SALESVU_STORE_KEYS: JSON.stringify(SALESVU_DEMO_STORES),
      PARTNER_MAPPINGS: JSON.stringify(DEMO_PARTNERS),
    },
    close: async () => void (await Promise.all([tessitura.close(), salesvu.close()])),
  };
}

/** A port nothing listens on right now, so that a restarted gateway can come back at the same address. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}
