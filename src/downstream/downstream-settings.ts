import type { Logger } from 'pino';
import { type Config, ConfigError, type PartnerMapping, type SalesVuSettings, type TessituraSettings } from '../platform/config';

/** Where deliveries go, with every target resolved. */
export type DownstreamSettings = {
  tessitura: TessituraSettings;
  salesvu: SalesVuSettings;
  partners: Record<string, PartnerMapping>;
  timeoutMs: number;
};

export type ResolvedDownstream = { settings: DownstreamSettings; close(): Promise<void> };

/** How a process finds its downstream systems: the real ones here; the demo entry point may add simulators. */
export type DownstreamResolver = (config: Config, logger: Logger) => Promise<ResolvedDownstream>;

/** The venue's real Tessitura and SalesVu, and the partners' mappings: all required, never simulated. */
export const configuredDownstream: DownstreamResolver = async ({ downstream }) => {
  const { tessitura, salesvu, partners, timeoutMs } = downstream;
  const missing = [!tessitura && 'TESSITURA_URL', !salesvu && 'SALESVU_URL', !partners && 'PARTNER_MAPPINGS'].filter(Boolean);
  if (!tessitura || !salesvu || !partners) {
    throw new ConfigError(
      `Invalid configuration: ${missing.join(', ')} must be set: the gateway sends sales only to the venue's real systems here (simulators run only with npm start outside production)`,
    );
  }
  return { settings: { tessitura, salesvu, partners, timeoutMs }, close: async () => undefined };
};
