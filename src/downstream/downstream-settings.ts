import type { Logger } from 'pino';
import { SALESVU_DEMO_STORES, startSalesVuSimulator, startTessituraSimulator, TESSITURA_DEMO_CREDENTIALS } from '../../simulators';
import type { Config, PartnerMapping, SalesVuSettings, TessituraSettings } from '../platform/config';

/** Where deliveries go, with every target resolved: a configured system or a local simulator. */
export type DownstreamSettings = {
  tessitura: TessituraSettings;
  salesvu: SalesVuSettings;
  partners: Record<string, PartnerMapping>;
  timeoutMs: number;
};

export type ResolvedDownstream = { settings: DownstreamSettings; close(): Promise<void> };

const [DEMO_STORE_ID] = Object.keys(SALESVU_DEMO_STORES);

/** With the simulators, every partner buys as demo constituent 1 with payment method 1, in the demo store. */
export const DEMO_PARTNER_MAPPINGS: Record<string, PartnerMapping> = {
  '*': { tessitura: { constituent_id: 1, payment_method_id: 1 }, salesvu: { store_id: DEMO_STORE_ID } },
};

/**
 * Uses the configured Tessitura and SalesVu; a target left unconfigured is replaced by its simulator on
 * loopback (the demo and the tests), and said so in the log.
 */
export async function resolveDownstream(config: Config['downstream'], logger: Logger): Promise<ResolvedDownstream> {
  const closers: (() => Promise<void>)[] = [];
  let tessitura = config.tessitura;
  if (!tessitura) {
    const simulator = await startTessituraSimulator({ port: 0, logger: logger.child({ simulator: 'tessitura' }) });
    closers.push(() => simulator.close());
    tessitura = { url: simulator.url, ...TESSITURA_DEMO_CREDENTIALS };
    logger.info({ url: simulator.url }, 'TESSITURA_URL is not set: deliveries go to the local Tessitura simulator');
  }
  let salesvu = config.salesvu;
  if (!salesvu) {
    const simulator = await startSalesVuSimulator({ port: 0, logger: logger.child({ simulator: 'salesvu' }) });
    closers.push(() => simulator.close());
    salesvu = { url: simulator.url, storeKeys: SALESVU_DEMO_STORES };
    logger.info({ url: simulator.url }, 'SALESVU_URL is not set: deliveries go to the local SalesVu simulator');
  }
  // The demo mapping names simulator ids: it must never reach a real system.
  const allSimulated = !config.tessitura && !config.salesvu;
  const partners = config.partners ?? (allSimulated ? DEMO_PARTNER_MAPPINGS : {});
  if (!config.partners) {
    logger.warn(
      allSimulated
        ? 'PARTNER_MAPPINGS is not set: every partner uses the simulators\' demo mapping'
        : 'PARTNER_MAPPINGS is not set: deliveries will be dead for want of a partner mapping',
    );
  }
  return {
    settings: { tessitura, salesvu, partners, timeoutMs: config.timeoutMs },
    close: async () => void (await Promise.all(closers.map((close) => close()))),
  };
}
