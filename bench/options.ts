import { parseArgs } from 'node:util';
import { SCENARIO_NAMES, type ScenarioName } from './scenarios';

export type BenchOptions = {
  /** Measured rounds per scenario; each round runs the gateway, then the floor. */
  rounds: number;
  /** Length of one side's turn in a round. */
  seconds: number;
  /** Unmeasured load on each side before a scenario's first round. */
  warmupSeconds: number;
  /** Concurrent keep-alive HTTP connections the load generator keeps busy. */
  connections: number;
  scenarios: ScenarioName[];
  /** The PostgreSQL server (any database on it) where each run creates and drops its own database. */
  serverUrl: string;
  /** Record a CPU profile of the gateway and summarize where its time went. */
  profile: boolean;
  /** Run the gateway with tracing on, exporting every span to a local OTLP sink that drops them. */
  traces: boolean;
  /** Fleet sizes, ascending: each scenario runs with this many gateway processes sharing the load. */
  gateways: number[];
};

const DEFAULTS = {
  rounds: 4,
  seconds: 10,
  warmupSeconds: 3,
  connections: 32,
  scenarios: SCENARIO_NAMES.join(','),
  serverUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  gateways: '1',
};

/** More gateway processes than this on one machine measure the machine's scheduler, not the gateway. */
export const MAX_GATEWAYS = 8;

export const USAGE = `Usage: npm run bench -- [options]   (each option also reads from the environment variable shown)

  --rounds <n>           BENCH_ROUNDS           measured rounds per scenario           (default ${DEFAULTS.rounds})
  --seconds <n>          BENCH_SECONDS          seconds per side per round             (default ${DEFAULTS.seconds})
  --warmup-seconds <n>   BENCH_WARMUP_SECONDS   unmeasured seconds per side first      (default ${DEFAULTS.warmupSeconds})
  --connections <n>      BENCH_CONNECTIONS      concurrent HTTP connections            (default ${DEFAULTS.connections})
  --scenarios <list>     BENCH_SCENARIOS        comma-separated, of ${SCENARIO_NAMES.join(', ')}  (default all)
  --database-url <url>   BENCH_DATABASE_URL     PostgreSQL server to create the run's database on
                                                (default ${DEFAULTS.serverUrl})
  --profile              BENCH_PROFILE=1        CPU-profile the gateway and print its hottest functions
  --traces               BENCH_TRACES=1         run the gateway with OpenTelemetry tracing on (spans sent to a
                                                local OTLP sink that drops them): compare with a run without
  --gateways <list>      BENCH_GATEWAYS         fleet sizes, e.g. 1,2,4: each scenario is run with that many
                                                gateway processes on one database, the load split evenly
                                                (default ${DEFAULTS.gateways}; at most ${MAX_GATEWAYS})
  --help                                        this text
`;

export class OptionsError extends Error {}

function wholeNumber(name: string, raw: string, min: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min) throw new OptionsError(`${name} must be a whole number >= ${min}, not '${raw}'`);
  return value;
}

function scenarioList(raw: string): ScenarioName[] {
  const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(SCENARIO_NAMES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new OptionsError(`scenarios must be a comma-separated list of ${SCENARIO_NAMES.join(', ')}, not '${raw}'`);
  }
  return SCENARIO_NAMES.filter((name) => names.includes(name));
}

function fleetSizes(raw: string): number[] {
  const sizes = raw.split(',').map((size) => size.trim()).filter(Boolean);
  if (sizes.length === 0 || sizes.some((size) => !/^\d+$/.test(size) || Number(size) < 1 || Number(size) > MAX_GATEWAYS)) {
    throw new OptionsError(`gateways must be a comma-separated list of whole numbers from 1 to ${MAX_GATEWAYS}, not '${raw}'`);
  }
  return [...new Set(sizes.map(Number))].sort((a, b) => a - b);
}

function postgresUrl(raw: string): string {
  if (!/^postgres(ql)?:\/\//.test(raw)) throw new OptionsError(`database URL must start with postgres://, not '${raw}'`);
  return raw;
}

/** Flags win over environment variables, which win over the defaults; `help` asks for the usage text. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | 'help' {
  let flags;
  try {
    ({ values: flags } = parseArgs({
      args: argv,
      options: {
        rounds: { type: 'string' },
        seconds: { type: 'string' },
        'warmup-seconds': { type: 'string' },
        connections: { type: 'string' },
        scenarios: { type: 'string' },
        'database-url': { type: 'string' },
        profile: { type: 'boolean' },
        traces: { type: 'boolean' },
        gateways: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
  if (flags.help) return 'help';
  const pick = (flag: string | undefined, variable: string, fallback: string) => flag ?? (env[variable] || fallback);
  const switched = (flag: boolean | undefined, variable: string) => flag ?? ['1', 'true', 'yes'].includes((env[variable] ?? '').toLowerCase());
  return {
    rounds: wholeNumber('rounds', pick(flags.rounds, 'BENCH_ROUNDS', String(DEFAULTS.rounds)), 1),
    seconds: wholeNumber('seconds', pick(flags.seconds, 'BENCH_SECONDS', String(DEFAULTS.seconds)), 1),
    warmupSeconds: wholeNumber(
      'warmup-seconds',
      pick(flags['warmup-seconds'], 'BENCH_WARMUP_SECONDS', String(DEFAULTS.warmupSeconds)),
      0,
    ),
    connections: wholeNumber('connections', pick(flags.connections, 'BENCH_CONNECTIONS', String(DEFAULTS.connections)), 1),
    scenarios: scenarioList(pick(flags.scenarios, 'BENCH_SCENARIOS', DEFAULTS.scenarios)),
    serverUrl: postgresUrl(pick(flags['database-url'], 'BENCH_DATABASE_URL', DEFAULTS.serverUrl)),
    profile: switched(flags.profile, 'BENCH_PROFILE'),
    traces: switched(flags.traces, 'BENCH_TRACES'),
    gateways: fleetSizes(pick(flags.gateways, 'BENCH_GATEWAYS', DEFAULTS.gateways)),
  };
}
