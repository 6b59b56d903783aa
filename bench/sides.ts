import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadConfig } from '../src/platform/config';
import { SALESVU_DEMO_STORES, TESSITURA_DEMO_CREDENTIALS } from '../simulators';
import { DEMO_PARTNER_MAPPINGS } from '../simulators/simulated-downstream';
import { freePort, startServer, type ServerProcess } from './processes';

/** What points the gateway at the simulators' process: the settings a venue would give for its real systems. */
function downstreamEnvironment(tessituraOrigin: string, salesvuPort: number): Record<string, string> {
  return {
    TESSITURA_URL: `${tessituraOrigin}/TessituraService`,
    TESSITURA_USERNAME: TESSITURA_DEMO_CREDENTIALS.username,
    TESSITURA_USERGROUP: TESSITURA_DEMO_CREDENTIALS.userGroup,
    TESSITURA_LOCATION: TESSITURA_DEMO_CREDENTIALS.location,
    TESSITURA_PASSWORD: TESSITURA_DEMO_CREDENTIALS.password,
    SALESVU_URL: `http://127.0.0.1:${salesvuPort}/townvu/api/index.php`,
    SALESVU_STORE_KEYS: JSON.stringify(SALESVU_DEMO_STORES),
    PARTNER_MAPPINGS: JSON.stringify(DEMO_PARTNER_MAPPINGS),
  };
}

/** The gateway as deployed, with its downstream systems' process. */
export type RunningGateway = {
  /** The first gateway process: the one seeded through, and the only one profiled. */
  gateway: ServerProcess;
  /** Every gateway process started so far, `gateway` first; all share the database and the downstream process. */
  fleet: ServerProcess[];
  /** Starts more gateway processes, each as the first was, until the fleet has `size`. */
  growFleet(size: number): Promise<ServerProcess[]>;
  /** Tessitura and SalesVu, simulated in a process of their own as the real ones would be. */
  downstream: ServerProcess;
  /** The gateway's first admin key, which the bench made up. */
  adminKey: string;
  logFiles: { gateway: string; downstream: string };
  /** Where the gateway's CPU profile appears once it has stopped, when profiling. */
  profileFile?: string;
  stop(): Promise<void>;
};

export type RunningSides = Omit<RunningGateway, 'logFiles'> & {
  floor: ServerProcess;
  logFiles: RunningGateway['logFiles'] & { floor: string };
};

type OutputSettings = {
  /** Where logs (and the profile) go, each file named after the run. */
  outputDir: string;
  runId: string;
  profile: boolean;
  /** Where the gateway sends its spans (OTEL_EXPORTER_OTLP_ENDPOINT); no tracing without one. */
  tracesEndpoint?: string;
  onUnexpectedExit: (error: Error) => void;
};

export type SidesSettings = OutputSettings & { databaseUrl: string };

/**
 * The gateway's database: a PostgreSQL database, or (`pgliteDir`) its embedded PGlite. `environment`: more
 * variables for the gateway and the simulators' process (the drain scenario's latency and limits).
 */
export type GatewaySettings = OutputSettings & {
  database: { url: string } | { pgliteDir: string };
  environment?: { gateway?: Record<string, string>; simulators?: Record<string, string> };
};

const outputFile = (settings: OutputSettings, suffix: string) => path.join(settings.outputDir, `${settings.runId}-${suffix}`);

/**
 * Starts the gateway as deployed (`node dist/src/main.js`, default settings and logging, its downstream
 * systems in another process) on the given database.
 */
export async function startGateway(settings: GatewaySettings): Promise<RunningGateway> {
  const logFiles = { gateway: outputFile(settings, 'gateway.log'), downstream: outputFile(settings, 'simulators.log') };
  const profileFile = settings.profile ? outputFile(settings, 'gateway.cpuprofile') : undefined;
  const adminKey = randomBytes(24).toString('hex');
  const started: ServerProcess[] = [];
  const stop = async () => void (await Promise.all(started.map((server) => server.stop())));
  try {
    const salesvuPort = await freePort();
    const downstream = await startServer(
      {
        name: 'simulators',
        script: path.resolve(__dirname, '..', 'simulators', 'main.js'),
        env: { SALESVU_SIM_PORT: String(salesvuPort), LOG_LEVEL: 'warn', ...settings.environment?.simulators },
        portVariable: 'TESSITURA_SIM_PORT',
        logFile: logFiles.downstream,
        readyPath: '/__admin/faults',
      },
      settings.onUnexpectedExit,
    );
    started.push(downstream);
    const database: Record<string, string> =
      'url' in settings.database ? { DATABASE_URL: settings.database.url } : { PGLITE_DIR: settings.database.pgliteDir };
    const startMember = (index: number) =>
      startServer(
        {
          name: index === 0 ? 'gateway' : `gateway ${index + 1}`,
          script: path.resolve(__dirname, '..', 'src', 'main.js'),
          nodeArgs:
            profileFile && index === 0 ? ['--cpu-prof', '--cpu-prof-dir', settings.outputDir, '--cpu-prof-name', path.basename(profileFile)] : [],
          env: {
            ...database,
            ADMIN_API_KEY: adminKey,
            ...downstreamEnvironment(downstream.url, salesvuPort),
            ...(settings.tracesEndpoint && { OTEL_EXPORTER_OTLP_ENDPOINT: settings.tracesEndpoint }),
            ...settings.environment?.gateway,
          },
          logFile: index === 0 ? logFiles.gateway : outputFile(settings, `gateway-${index + 1}.log`),
          readyPath: '/readyz',
        },
        settings.onUnexpectedExit,
      );
    const fleet = [await startMember(0)];
    started.push(fleet[0]);
    const growFleet = async (size: number) => {
      if ('pgliteDir' in settings.database && size > 1) throw new Error('PGlite is one process\'s database: a fleet of gateways needs PostgreSQL');
      while (fleet.length < size) {
        const member = await startMember(fleet.length);
        started.push(member);
        fleet.push(member);
      }
      return fleet.slice(0, size);
    };
    return { gateway: fleet[0], fleet, growFleet, downstream, adminKey, logFiles, profileFile, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Starts the gateway (see `startGateway`) and the floor server beside it, both on the run's database, with
 * as many database connections each.
 */
export async function startSides(settings: SidesSettings): Promise<RunningSides> {
  const running = await startGateway({ ...settings, database: { url: settings.databaseUrl } });
  const floorLog = outputFile(settings, 'floor.log');
  try {
    const floor = await startServer(
      {
        name: 'floor',
        script: path.resolve(__dirname, 'floor-server.js'),
        env: { DATABASE_URL: settings.databaseUrl, DATABASE_POOL_MAX: String(loadConfig({}).database.poolMax) },
        logFile: floorLog,
        readyPath: '/healthz',
      },
      settings.onUnexpectedExit,
    );
    const stop = async () => void (await Promise.all([running.stop(), floor.stop()]));
    return { ...running, floor, logFiles: { ...running.logFiles, floor: floorLog }, stop };
  } catch (error) {
    await running.stop();
    throw error;
  }
}
