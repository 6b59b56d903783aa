/**
 * `npm run build && node dist/bench/noisy.js`: the noisy-neighbour scenario. One partner (the victim) holds
 * over a few connections while, in turn, nothing else runs, one inventory key sends batches of 1000
 * listings from eight loops, and another partner holds as fast as 32 connections go. It reports the
 * victim's hold latency in each phase; the target is a p99 under 500 ms (a tenth of the 5 s SLO) whatever
 * the neighbour does. On PostgreSQL (the bench makes its own database) or PGlite (`--database pglite`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { PROJECT_ROOT } from '../src/platform/project-root';
import { catalogFor } from './catalog';
import { createBenchDatabase } from './database';
import { measure, type Measurement } from './load';
import { buildScenarios, type Endpoint } from './scenarios';
import { createKey, listingInput, seedGateway } from './seed';
import { startGateway } from './sides';

const RESULTS_DIR = path.join(PROJECT_ROOT, 'bench', 'results');
const JSON_BODY = { 'content-type': 'application/json' };
const VICTIM_CONNECTIONS = 4;
const NOISY_CONNECTIONS = 32;
const BATCH_LOOPS = 8;
const BATCH_SIZE = 1000;
export const P99_TARGET_MS = 500;
const PHASES = ['quiet', 'batches', 'holds'] as const;
type Phase = (typeof PHASES)[number];

type PhaseResult = {
  round: number;
  phase: Phase;
  victim: Pick<Measurement, 'rate' | 'latency' | 'requests'>;
  noise: { done: number; refused: number };
  /** The gateway's longest event-loop delay in the phase: time no request of anyone's could be served. */
  gatewayEventLoopLagMaxMs: number;
};

/** The gateway's longest event-loop delay since the last scrape (prom-client resets it on each). */
async function eventLoopLagMaxMs(url: string, adminKey: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { 'x-api-key': adminKey } })).text();
  return Math.round(Number(/^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(text)?.[1]) * 1000);
}

/** Eight loops of batch updates from one key, each waiting as long as a 429's Retry-After says. */
function batchNoise(url: string, inventoryKey: string) {
  let stopped = false;
  const noise = { done: 0, refused: 0 };
  const loop = async (index: number) => {
    const listings = Array.from({ length: BATCH_SIZE }, (_, i) => listingInput(`noise-${index}-${i}`, i));
    while (!stopped) {
      const res = await fetch(`${url}/v1/listings/batch`, { method: 'POST', headers: { ...JSON_BODY, 'x-api-key': inventoryKey }, body: JSON.stringify({ listings }) });
      await res.arrayBuffer();
      if (res.ok) noise.done++;
      else noise.refused++;
      if (res.status === 429) await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000);
    }
  };
  const loops = Array.from({ length: BATCH_LOOPS }, (_, index) => loop(index));
  return {
    noise,
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

/** Another partner holding over 32 connections, each sending its next hold as soon as one is answered. */
function holdNoise(url: string, endpoint: Endpoint, seconds: number) {
  const workload = buildScenarios({ gateway: endpoint, floor: endpoint }).hold.workload('gateway');
  const noise = { done: 0, refused: 0 };
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const instance = autocannon({ url, connections: NOISY_CONNECTIONS, duration: seconds + 5, requests: workload.requests }, () => finish());
  instance.on('response', (_client: unknown, status: number) => void (status < 300 ? noise.done++ : noise.refused++));
  return {
    noise,
    stop: async () => {
      instance.stop();
      await finished;
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { database: { type: 'string', default: 'postgres' }, 'database-url': { type: 'string' }, rounds: { type: 'string', default: '3' }, seconds: { type: 'string', default: '4' } } });
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  const onPglite = values.database === 'pglite';
  const runId = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const serverUrl = values['database-url'] ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const pgliteDir = onPglite ? fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-noisy-')) : undefined;
  const database = onPglite ? undefined : await createBenchDatabase(serverUrl, runId);
  const abort = new AbortController();
  const running = await startGateway({
    database: pgliteDir ? { pgliteDir } : { url: database!.url },
    outputDir: RESULTS_DIR,
    runId: `noisy-${runId}`,
    profile: false,
    onUnexpectedExit: (error) => abort.abort(error),
  });
  const results: PhaseResult[] = [];
  try {
    const url = running.gateway.url;
    process.stdout.write(`Noisy neighbours on ${onPglite ? 'PGlite' : 'PostgreSQL'}: seeding...\n`);
    const [victimKey, noisyKey] = await seedGateway(url, running.adminKey, catalogFor(0));
    const inventoryKey = await createKey(url, running.adminKey, { name: 'noisy-feed', role: 'inventory' });
    const endpoint = (key: string): Endpoint => ({ holdPath: '/v1/holds', headers: JSON_BODY, apiKeys: [key] });
    for (let round = 1; round <= rounds; round++) {
      for (const phase of PHASES) {
        await eventLoopLagMaxMs(url, running.adminKey);
        const neighbour = phase === 'batches' ? batchNoise(url, inventoryKey) : phase === 'holds' ? holdNoise(url, endpoint(noisyKey), seconds) : undefined;
        const victim = await measure(buildScenarios({ gateway: endpoint(victimKey), floor: endpoint(victimKey) }).hold.workload('gateway'), {
          urls: [url],
          connections: VICTIM_CONNECTIONS,
          seconds,
          serverPids: [running.gateway.pid],
          sessionPids: database ? database.sessionPids : async () => null,
          signal: abort.signal,
          onTick: () => undefined,
        });
        await neighbour?.stop();
        const result = {
          round,
          phase,
          victim: { rate: victim.rate, latency: victim.latency, requests: victim.requests },
          noise: neighbour?.noise ?? { done: 0, refused: 0 },
          gatewayEventLoopLagMaxMs: await eventLoopLagMaxMs(url, running.adminKey),
        };
        results.push(result);
        process.stdout.write(
          `round ${round} ${phase.padEnd(7)} victim ${String(victim.rate).padStart(7)} holds/s  p50 ${victim.latency.p50} ms  p99 ${victim.latency.p99} ms  ` +
            `max ${victim.latency.max} ms  non-2xx ${victim.requests.refused}  | neighbour ${(result.noise.done / seconds).toFixed(1)}/s done, ` +
            `${result.noise.refused} refused | gateway event-loop lag max ${result.gatewayEventLoopLagMaxMs} ms\n`,
        );
      }
    }
  } finally {
    await running.stop();
    await database?.drop();
    if (pgliteDir) fs.rmSync(pgliteDir, { recursive: true, force: true });
  }
  const worst = Math.max(...results.filter((r) => r.phase !== 'quiet').map((r) => r.victim.latency.p99));
  process.stdout.write(`Worst victim p99 under a neighbour: ${worst} ms (target < ${P99_TARGET_MS} ms): ${worst < P99_TARGET_MS ? 'PASS' : 'MISS'}\n`);
  const file = path.join(RESULTS_DIR, `noisy-${onPglite ? 'pglite' : 'postgres'}-${runId}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ runId, database: onPglite ? 'pglite' : 'postgres', rounds, seconds, results }, null, 2)}\n`);
  process.stdout.write(`Results: ${file}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`noisy bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
