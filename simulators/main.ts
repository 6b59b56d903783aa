import pino from 'pino';
import type { LatencyDistribution } from './shared/latency-model';
import {
  SALESVU_DEMO_STORES,
  TESSITURA_DEMO_CREDENTIALS,
  startSalesVuSimulator,
  startTessituraSimulator,
  type TessituraCredentials,
} from './index';

/** `npm run simulators`: both simulators on fixed ports, configured from the environment. */
async function main(): Promise<void> {
  const logger = pino({ name: 'simulators', level: process.env.LOG_LEVEL ?? 'info' });
  const host = process.env.SIMULATORS_HOST ?? '127.0.0.1';
  const credentials: TessituraCredentials = {
    username: process.env.TESSITURA_SIM_USERNAME ?? TESSITURA_DEMO_CREDENTIALS.username,
    userGroup: process.env.TESSITURA_SIM_USERGROUP ?? TESSITURA_DEMO_CREDENTIALS.userGroup,
    location: process.env.TESSITURA_SIM_LOCATION ?? TESSITURA_DEMO_CREDENTIALS.location,
    password: process.env.TESSITURA_SIM_PASSWORD ?? TESSITURA_DEMO_CREDENTIALS.password,
  };
  const [demoStoreId, demoApiKey] = Object.entries(SALESVU_DEMO_STORES)[0];
  const storeId = process.env.SALESVU_SIM_STORE_ID ?? demoStoreId;
  const apiKey = process.env.SALESVU_SIM_API_KEY ?? demoApiKey;

  const tessitura = await startTessituraSimulator({
    port: portFromEnv('TESSITURA_SIM_PORT', 8091),
    host,
    credentials,
    logger,
    latency: latencyFromEnv('TESSITURA_SIM'),
    concurrencyLimit: positiveIntFromEnv('TESSITURA_SIM_CONCURRENCY_LIMIT'),
    retryAfterSeconds: positiveIntFromEnv('TESSITURA_SIM_RETRY_AFTER_SECONDS'),
  });
  const salesvu = await startSalesVuSimulator({
    port: portFromEnv('SALESVU_SIM_PORT', 8092),
    host,
    stores: { [storeId]: apiKey },
    logger,
    latency: latencyFromEnv('SALESVU_SIM'),
  });

  // Secrets are printed only while they are the public demo defaults.
  const shown = (value: string, demo: string, variable: string) => (value === demo ? value : `(from ${variable})`);
  console.log(
    [
      `Tessitura simulator: ${tessitura.url}`,
      `  Basic auth user:   ${credentials.username}:${credentials.userGroup}:${credentials.location}`,
      `  password:          ${shown(credentials.password, TESSITURA_DEMO_CREDENTIALS.password, 'TESSITURA_SIM_PASSWORD')}`,
      `  admin:             ${new URL(tessitura.url).origin}/__admin/state`,
      `SalesVu simulator:   ${salesvu.url}`,
      `  store_id:          ${storeId}`,
      `  api_key:           ${shown(apiKey, demoApiKey, 'SALESVU_SIM_API_KEY')}`,
      `  admin:             ${new URL(salesvu.url).origin}/__admin/state`,
    ].join('\n'),
  );

  const stop = async () => {
    await Promise.all([tessitura.close(), salesvu.close()]);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function portFromEnv(variable: string, fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`${variable} must be a port number from 0 to 65535, got "${raw}"`);
  }
  return port;
}

function positiveIntFromEnv(variable: string): number | undefined {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${variable} must be a positive integer, got "${raw}"`);
  return value;
}

/** `<PREFIX>_LATENCY_MEDIAN_MS` and `<PREFIX>_LATENCY_P99_MS` (the p99 defaults to the median: no tail). */
function latencyFromEnv(prefix: string): LatencyDistribution | undefined {
  const medianMs = positiveIntFromEnv(`${prefix}_LATENCY_MEDIAN_MS`);
  if (medianMs === undefined) return undefined;
  const p99Ms = positiveIntFromEnv(`${prefix}_LATENCY_P99_MS`) ?? medianMs;
  if (p99Ms < medianMs) throw new Error(`${prefix}_LATENCY_P99_MS must be at least ${prefix}_LATENCY_MEDIAN_MS`);
  return { medianMs, p99Ms };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
