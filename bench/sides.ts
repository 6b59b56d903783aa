import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadConfig } from '../src/platform/config';
import { startServer, ServerProcess } from './processes';

export type RunningSides = {
  gateway: ServerProcess;
  floor: ServerProcess;
  /** The gateway's first admin key, which the bench made up. */
  adminKey: string;
  logFiles: { gateway: string; floor: string };
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
 * Starts the gateway as deployed (`node dist/src/main.js`, default settings and logging) and the floor
 * server beside it, both on the run's database, with as many database connections each.
 */
export async function startSides(settings: SidesSettings): Promise<RunningSides> {
  const file = (suffix: string) => path.join(settings.outputDir, `${settings.runId}-${suffix}`);
  const logFiles = { gateway: file('gateway.log'), floor: file('floor.log') };
  const profileFile = settings.profile ? file('gateway.cpuprofile') : undefined;
  const adminKey = randomBytes(24).toString('hex');
  const started: ServerProcess[] = [];
  const stop = async () => void (await Promise.all(started.map((server) => server.stop())));
  try {
    const gateway = await startServer(
      {
        name: 'gateway',
        script: path.resolve(__dirname, '..', 'src', 'main.js'),
        nodeArgs: profileFile ? ['--cpu-prof', '--cpu-prof-dir', settings.outputDir, '--cpu-prof-name', path.basename(profileFile)] : [],
        env: { DATABASE_URL: settings.databaseUrl, ADMIN_API_KEY: adminKey },
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
    return { gateway, floor, adminKey, logFiles, profileFile, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
