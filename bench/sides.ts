import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadConfig } from '../src/platform/config';
import { SALESVU_DEMO_STORES, TESSITURA_DEMO_CREDENTIALS } from '../simulators';
import { DEMO_PARTNER_MAPPINGS } from '../src/downstream/downstream-settings';
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

export type RunningSides = {
  gateway: ServerProcess;
  floor: ServerProcess;
  /** Tessitura and SalesVu, simulated in a process of their own as the real ones would be. */
  downstream: ServerProcess;
  /** The gateway's first admin key, which the bench made up. */
  adminKey: string;
  logFiles: { gateway: string; floor: string; downstream: string };
  /** Where the gateway's CPU profile appears once it has stopped, when profiling. */
  profileFile?: string;
  stop(): Promise<void>;
};

export type SidesSettings = {
  databaseUrl: string;
  /** Where logs (and the profile) go, each file named after the run. */
  outputDir: string;
  runId: string;
  profile: boolean;
  onUnexpectedExit: (error: Error) => void;
};

/**
 * Starts the gateway as deployed (`node dist/src/main.js`, default settings and logging, its downstream
 * systems in another process) and the floor server beside it, both on the run's database, with as many
 * database connections each.
 */
export async function startSides(settings: SidesSettings): Promise<RunningSides> {
  const file = (suffix: string) => path.join(settings.outputDir, `${settings.runId}-${suffix}`);
  const logFiles = { gateway: file('gateway.log'), floor: file('floor.log'), downstream: file('simulators.log') };
  const profileFile = settings.profile ? file('gateway.cpuprofile') : undefined;
  const adminKey = randomBytes(24).toString('hex');
  const started: ServerProcess[] = [];
  const stop = async () => void (await Promise.all(started.map((server) => server.stop())));
  try {
    const salesvuPort = await freePort();
    const downstream = await startServer(
      {
        name: 'simulators',
        script: path.resolve(__dirname, '..', 'simulators', 'main.js'),
        env: { SALESVU_SIM_PORT: String(salesvuPort), LOG_LEVEL: 'warn' },
        portVariable: 'TESSITURA_SIM_PORT',
        logFile: logFiles.downstream,
        readyPath: '/__admin/faults',
      },
      settings.onUnexpectedExit,
    );
    started.push(downstream);
    const gateway = await startServer(
      {
        name: 'gateway',
        script: path.resolve(__dirname, '..', 'src', 'main.js'),
        nodeArgs: profileFile ? ['--cpu-prof', '--cpu-prof-dir', settings.outputDir, '--cpu-prof-name', path.basename(profileFile)] : [],
        env: { DATABASE_URL: settings.databaseUrl, ADMIN_API_KEY: adminKey, ...downstreamEnvironment(downstream.url, salesvuPort) },
        logFile: logFiles.gateway,
        readyPath: '/readyz',
      },
      settings.onUnexpectedExit,
    );
    started.push(gateway);
    const floor = await startServer(
      {
        name: 'floor',
        script: path.resolve(__dirname, 'floor-server.js'),
        env: { DATABASE_URL: settings.databaseUrl, DATABASE_POOL_MAX: String(loadConfig({}).database.poolMax) },
        logFile: logFiles.floor,
        readyPath: '/healthz',
      },
      settings.onUnexpectedExit,
    );
    started.push(floor);
    return { gateway, floor, downstream, adminKey, logFiles, profileFile, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
