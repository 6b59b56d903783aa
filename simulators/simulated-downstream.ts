import { configuredDownstream, type DownstreamResolver } from '../src/downstream/downstream-settings';
import type { PartnerMapping } from '../src/platform/config';
import { SALESVU_DEMO_STORES, startSalesVuSimulator, startTessituraSimulator, TESSITURA_DEMO_CREDENTIALS } from './index';

const [DEMO_STORE_ID] = Object.keys(SALESVU_DEMO_STORES);

/** With the simulators, every partner buys as demo constituent 1 with payment method 1, mode of sale 1 and source 1, in the demo store. */
export const DEMO_PARTNER_MAPPINGS: Record<string, PartnerMapping> = {
  '*': { tessitura: { constituent_id: 1, payment_method_id: 1, mode_of_sale_id: 1, source_id: 1 }, salesvu: { store_id: DEMO_STORE_ID } },
};

/**
 * The demo's downstream (`npm start`): the configured Tessitura and SalesVu, a simulator on loopback in
 * place of each one left unconfigured (said so in the log). In production, only the configured ones.
 */
export const configuredOrSimulatedDownstream: DownstreamResolver = async (config, logger) => {
  if (config.production) return configuredDownstream(config, logger);
  const closers: (() => Promise<void>)[] = [];
  const simulated = (variable: string, name: string, url: string, simulator: { close(): Promise<void> }) => {
    closers.push(() => simulator.close());
    logger.info({ url }, `${variable} is not set: deliveries go to the local ${name} simulator`);
  };
  const downstream = config.downstream;
  let tessitura = downstream.tessitura;
  if (!tessitura) {
    const simulator = await startTessituraSimulator({ port: 0, logger: logger.child({ simulator: 'tessitura' }) });
    simulated('TESSITURA_URL', 'Tessitura', simulator.url, simulator);
    tessitura = { url: simulator.url, ...TESSITURA_DEMO_CREDENTIALS };
  }
  let salesvu = downstream.salesvu;
  if (!salesvu) {
    const simulator = await startSalesVuSimulator({ port: 0, logger: logger.child({ simulator: 'salesvu' }) });
    simulated('SALESVU_URL', 'SalesVu', simulator.url, simulator);
    salesvu = { url: simulator.url, storeKeys: SALESVU_DEMO_STORES };
  }
  // The demo mapping names simulator ids: it must never reach a real system.
  const allSimulated = !downstream.tessitura && !downstream.salesvu;
  const partners = downstream.partners ?? (allSimulated ? DEMO_PARTNER_MAPPINGS : {});
  if (!downstream.partners) {
    logger.warn(
      allSimulated
        ? 'PARTNER_MAPPINGS is not set: every partner uses the simulators\' demo mapping'
        : 'PARTNER_MAPPINGS is not set: deliveries will be dead for want of a partner mapping',
    );
  }
  return {
    settings: { tessitura, salesvu, partners, timeoutMs: downstream.timeoutMs },
    close: async () => void (await Promise.all(closers.map((close) => close()))),
  };
};
