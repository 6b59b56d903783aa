/**
 * `npm run bench`: measures the gateway, started as deployed, against a floor server that does the least
 * a hold endpoint can, on a fresh PostgreSQL database; prints and writes the results. See bench/README.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/platform/project-root';
import { type OtlpSink, startOtlpSink } from '../simulators/otlp-sink/start-otlp-sink';
import { catalogFor } from './catalog';
import { machineBusyOver } from './cpu';
import { type BenchDatabase, createBenchDatabase } from './database';
import { type BenchOptions, OptionsError, parseOptions, USAGE } from './options';
import { formatProfile, summarizeProfile } from './profile';
import { createProgress } from './progress';
import { formatScaling, formatScenario } from './report';
import { describeEnvironment, type ResultsDocument, writeResults } from './results';
import { loadSecondsPerSide, runScenario } from './rounds';
import { buildScenarios, SIDES } from './scenarios';
import { seedFloor, seedGateway } from './seed';
import { type RunningSides, startSides } from './sides';
import type { ScenarioResult } from './summary';

const RESULTS_DIR = path.join(PROJECT_ROOT, 'bench', 'results');
const JSON_BODY = { 'content-type': 'application/json' };
/** Over this busy share before the run starts, other work is competing for the CPUs: say so. */
const BUSY_WARNING = 0.15;

class Interrupted extends Error {}

/** The first signal stops the run in order (servers, then database); a second one quits at once. */
function stopOnSignals(abort: AbortController): void {
  let received = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (++received > 1) {
      process.stderr.write(`\n${signal} again: quitting now; the servers are killed, the run's database is left behind\n`);
      process.exit(130);
    }
    process.stderr.write(`\n${signal}: stopping the servers and dropping the run's database (${signal} again to quit at once)\n`);
    abort.abort(new Interrupted(`interrupted by ${signal}`));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
}

async function measureAll(options: BenchOptions, sides: RunningSides, database: BenchDatabase, signal: AbortSignal): Promise<ScenarioResult[]> {
  const catalog = catalogFor(options.gateways.length * loadSecondsPerSide(options));
  process.stdout.write(`Seeding ${catalog.listingIds.length} listings on each side...\n`);
  const partnerKeys = await seedGateway(sides.gateway.url, sides.adminKey, catalog);
  await seedFloor(database.url, catalog);

  const scenarios = buildScenarios({
    gateway: { holdPath: '/v1/holds', headers: JSON_BODY, apiKeys: partnerKeys },
    floor: { holdPath: '/holds', headers: JSON_BODY, apiKeys: [] },
  });
  const floor = { urls: [sides.floor.url], pids: [sides.floor.pid] };
  const progress = createProgress(options.gateways.length * options.scenarios.length * SIDES.length * loadSecondsPerSide(options));
  const results: ScenarioResult[] = [];
  try {
    for (const gateways of options.gateways) {
      const fleet = await sides.growFleet(gateways);
      const targets = { gateway: { urls: fleet.map((gateway) => gateway.url), pids: fleet.map((gateway) => gateway.pid) }, floor };
      for (const name of options.scenarios) {
        results.push(await runScenario(scenarios[name], { ...options, gateways, targets, sessionPids: database.sessionPids, signal, progress }));
      }
    }
  } finally {
    progress.stop();
  }
  return results;
}

async function bench(options: BenchOptions, abort: AbortController): Promise<ResultsDocument> {
  const runId = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const startedAt = new Date().toISOString();
  const busyBeforeRun = await machineBusyOver(1000);
  if (busyBeforeRun !== null && busyBeforeRun > BUSY_WARNING) {
    process.stdout.write(
      `WARNING: the machine was ${Math.round(busyBeforeRun * 100)}% busy before the run started: other processes ` +
        'compete for the CPUs, and the figures will be lower and noisier than on a quiet machine.\n',
    );
  }
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const database = await createBenchDatabase(options.serverUrl, runId);
  let sides: RunningSides | undefined;
  let traces: OtlpSink | undefined;
  try {
    traces = options.traces ? await startOtlpSink({ keep: false }) : undefined;
    sides = await startSides({
      databaseUrl: database.url,
      outputDir: RESULTS_DIR,
      runId,
      profile: options.profile,
      tracesEndpoint: traces?.endpoint,
      onUnexpectedExit: (error) => abort.abort(error),
    });
    process.stdout.write(
      `Run ${runId} on database ${database.name}: ${options.scenarios.join(', ')}; ${options.rounds} rounds x ` +
        `${options.seconds} s per side, ${options.warmupSeconds} s warm-up, ${options.connections} connections` +
        `${options.traces ? ', gateway tracing on' : ''}\n` +
        `Logs: ${sides.logFiles.gateway}, ${sides.logFiles.floor}\n`,
    );
    const scenarios = await measureAll(options, sides, database, abort.signal);
    await sides.stop();
    const { serverUrl, scenarios: _names, ...settings } = options;
    const server = new URL(serverUrl);
    return {
      runId,
      startedAt,
      finishedAt: new Date().toISOString(),
      valid: scenarios.every((scenario) => scenario.failures.length === 0),
      settings: { ...settings, server: `${server.hostname}:${server.port || 5432}` },
      environment: describeEnvironment(PROJECT_ROOT, database.serverVersion, busyBeforeRun),
      scenarios,
      profile: sides.profileFile ? summarizeProfile(sides.profileFile, PROJECT_ROOT) : undefined,
    };
  } finally {
    await sides?.stop();
    await traces?.close();
    await database.drop();
  }
}

function print(document: ResultsDocument, files: string[]): void {
  const sections = document.scenarios.map(formatScenario);
  if (document.settings.gateways.length > 1) sections.push(formatScaling(document.scenarios));
  if (document.profile) sections.push(formatProfile(document.profile));
  sections.push(`Results: ${files.join(', ')}`);
  if (!document.valid) {
    sections.push(`INVALID RUN: more than 1% of the answers in some measurements were not 2xx (see FAILED MEASUREMENT above)`);
  }
  process.stdout.write(`\n${sections.join('\n\n')}\n`);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), process.env);
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const abort = new AbortController();
  stopOnSignals(abort);
  try {
    const document = await bench(options, abort);
    print(document, writeResults(RESULTS_DIR, document));
    return document.valid ? 0 : 1;
  } catch (error) {
    const cause = abort.signal.aborted ? (abort.signal.reason as Error) : (error as Error);
    if (cause instanceof Interrupted) return 130;
    throw cause;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`\nbench failed: ${error instanceof OptionsError ? `${error.message}\n\n${USAGE}` : ((error as Error).stack ?? String(error))}\n`);
    process.exit(1);
  },
);
