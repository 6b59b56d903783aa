/**
 * `npm run build && node dist/bench/drain.js`: the drain scenario. The simulators answer as a real Tessitura
 * and SalesVu do (log-normal service time, by default a median of 150 ms and a p99 of 800 ms), Tessitura
 * serves a limited number of calls at once (16 by default; more are answered 429 with Retry-After). A burst
 * of holds and invoices is made as fast as the gateway takes them, then the backlog is watched until
 * Tessitura has recorded every sale. The rate is compared with the ideal for that latency and limit (every
 * one of Tessitura's slots busy all the time): limit / (calls per sale x mean latency); the target is 0.8x.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/platform/project-root';
import { LatencyModel } from '../simulators/shared/latency-model';
import { catalogFor, LISTING_COUNT, listingId } from './catalog';
import { createBenchDatabase } from './database';
import { DRAIN_TARGET_RATIO, type DrainSample, type DrainSettings, summarizeDrain } from './drain-summary';
import { seedGateway } from './seed';
import { startGateway } from './sides';

const RESULTS_DIR = path.join(PROJECT_ROOT, 'bench', 'results');
const JSON_BODY = { 'content-type': 'application/json' };
const SAMPLE_EVERY_MS = 1_000;
/** Long enough for a drain at a tenth of the ideal: past it the run stops and says so. */
const DRAIN_TIMEOUT_FACTOR = 10;
/** A sale's calls on a first attempt (docs/downstream.md), for that time-out only: the summary counts the calls served. */
const FLOW_CALLS = 10;

const sampleOf = (metrics: string, name: string, labels: string) =>
  Number(new RegExp(`^${name}\\{${labels}\\} (\\S+)$`, 'm').exec(metrics)?.[1] ?? Number.NaN);

/** Holds and invoices `sales` sales over `connections` loops, each with one of the partners' keys. */
async function burst(url: string, partnerKeys: string[], sales: number, connections: number): Promise<void> {
  let next = 0;
  const post = async (pathname: string, key: string, body: object) => {
    const res = await fetch(`${url}${pathname}`, { method: 'POST', headers: { ...JSON_BODY, 'x-api-key': key }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`POST ${pathname} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    await res.arrayBuffer();
  };
  const loop = async () => {
    for (let sale = next++; sale < sales; sale = next++) {
      const key = partnerKeys[sale % partnerKeys.length];
      const globalId = `drain-${sale}`;
      await post('/v1/holds', key, { global_id: globalId, remote_id: listingId(sale % LISTING_COUNT), quantity: 1 });
      await post('/v1/invoices', key, { global_id: globalId, order_id: `order-${globalId}` });
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
}

async function watchDrain(url: string, adminKey: string, sales: number, startedAt: number, timeoutMs: number, signal: AbortSignal): Promise<DrainSample[]> {
  const samples: DrainSample[] = [];
  for (;;) {
    signal.throwIfAborted();
    const metrics = await (await fetch(`${url}/metrics`, { headers: { 'x-api-key': adminKey } })).text();
    const sample: DrainSample = {
      atSeconds: (Date.now() - startedAt) / 1000,
      delivered: sampleOf(metrics, 'ticket_gateway_delivery_outcomes_total', 'target="tessitura",outcome="delivered"') || 0,
      pending: sampleOf(metrics, 'ticket_gateway_outbox_deliveries', 'target="tessitura",status="pending"'),
      oldestPendingSeconds: sampleOf(metrics, 'ticket_gateway_outbox_oldest_pending_seconds', 'target="tessitura"'),
      concurrencyLimit: sampleOf(metrics, 'ticket_gateway_delivery_concurrency_limit', 'target="tessitura"'),
    };
    samples.push(sample);
    if (samples.length % 5 === 0 || sample.pending === 0) {
      process.stdout.write(
        `${sample.atSeconds.toFixed(0).padStart(5)} s  recorded ${String(sample.delivered).padStart(5)}  pending ${String(sample.pending).padStart(5)}  ` +
          `oldest ${sample.oldestPendingSeconds.toFixed(1).padStart(6)} s  limit ${sample.concurrencyLimit}\n`,
      );
    }
    if ((sample.delivered >= sales && sample.pending === 0) || Date.now() - startedAt > timeoutMs) return samples;
    await sleep(SAMPLE_EVERY_MS);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sales: { type: 'string', default: '1000' },
      connections: { type: 'string', default: '32' },
      'median-ms': { type: 'string', default: '150' },
      'p99-ms': { type: 'string', default: '800' },
      'tessitura-limit': { type: 'string', default: '16' },
      'database-url': { type: 'string' },
    },
  });
  const sales = Number(values.sales);
  const latency = { medianMs: Number(values['median-ms']), p99Ms: Number(values['p99-ms']) };
  const settings: DrainSettings = {
    sales,
    latency: { ...latency, meanMs: Number(new LatencyModel(latency).meanMs.toFixed(1)) },
    tessituraLimit: Number(values['tessitura-limit']),
  };
  const runId = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const database = await createBenchDatabase(values['database-url'] ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', runId);
  const abort = new AbortController();
  const simulatorLatency = (prefix: string) => ({ [`${prefix}_LATENCY_MEDIAN_MS`]: String(latency.medianMs), [`${prefix}_LATENCY_P99_MS`]: String(latency.p99Ms) });
  try {
    const running = await startGateway({
      database: { url: database.url },
      outputDir: RESULTS_DIR,
      runId: `drain-${runId}`,
      profile: false,
      onUnexpectedExit: (error) => abort.abort(error),
      environment: {
        simulators: { ...simulatorLatency('TESSITURA_SIM'), ...simulatorLatency('SALESVU_SIM'), TESSITURA_SIM_CONCURRENCY_LIMIT: String(settings.tessituraLimit) },
      },
    });
    try {
      const url = running.gateway.url;
      process.stdout.write(`Drain: ${sales} sales; Tessitura ${latency.medianMs} ms median, ${latency.p99Ms} ms p99, ${settings.tessituraLimit} calls at once. Seeding...\n`);
      const partnerKeys = await seedGateway(url, running.adminKey, catalogFor(0));
      const startedAt = Date.now();
      await burst(url, partnerKeys, sales, Number(values.connections));
      const burstSeconds = (Date.now() - startedAt) / 1000;
      process.stdout.write(`Burst: ${sales} holds and invoices in ${burstSeconds.toFixed(1)} s\n`);
      const idealMs = (sales * FLOW_CALLS * settings.latency.meanMs) / settings.tessituraLimit;
      const samples = await watchDrain(url, running.adminKey, sales, startedAt, idealMs * DRAIN_TIMEOUT_FACTOR, abort.signal);
      const tessitura = (await (await fetch(`${running.downstream.url}/__admin/concurrency`)).json()) as { served: number; refused: number; peak: number };
      const summary = summarizeDrain(settings, samples, tessitura.served, burstSeconds);
      const verdict = summary.ratio >= DRAIN_TARGET_RATIO ? 'PASS' : 'MISS';
      process.stdout.write(
        `\n${summary.salesPerSecond} sales/s recorded in Tessitura (ideal ${summary.idealSalesPerSecond}: ${settings.tessituraLimit} / ` +
          `(${summary.callsPerSale} calls x ${settings.latency.meanMs} ms)): ${summary.ratio}x, target ${DRAIN_TARGET_RATIO}x: ${verdict}\n` +
          `drained in ${summary.drainSeconds} s (${summary.salesPerSecondAfterBurst} sales/s after the burst); oldest pending at most ${summary.maxBacklogAgeSeconds} s; Tessitura: ${tessitura.served} calls served, ` +
          `${tessitura.refused} refused (429), at most ${tessitura.peak} at once; the dispatcher's limit peaked at ${summary.maxConcurrencyLimit}\n`,
      );
      const file = path.join(RESULTS_DIR, `drain-${runId}.json`);
      fs.writeFileSync(file, `${JSON.stringify({ runId, settings, tessitura, summary, verdict, samples }, null, 2)}\n`);
      process.stdout.write(`Results: ${file}\n`);
    } finally {
      await running.stop();
    }
  } finally {
    await database.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`drain bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
