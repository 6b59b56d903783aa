import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyPgliteTemplate } from './pglite-template';
import { createTestDatabase } from './test-database';

const ENTRY_POINTS = {
  /** What `npm start` runs: simulators for the downstream systems left unconfigured. */
  gateway: path.resolve(__dirname, '..', '..', 'simulators', 'demo-gateway.ts'),
  /** What the image runs: the real downstream systems only. */
  production: path.resolve(__dirname, '..', '..', 'src', 'main.ts'),
  worker: path.resolve(__dirname, '..', '..', 'src', 'worker.ts'),
};

/** A key of the test run's own, so that no process writes a local key file (on PostgreSQL, into the working directory). */
const WEBHOOK_SECRET_KEY = randomBytes(32).toString('base64');

export type GatewayProcess = {
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the port once the gateway listens (rejects if it exits first). */
  listening: Promise<number>;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

/**
 * Runs an entry point as its own process, as `npm start` (or the image, or `npm run worker`) would,
 * with `env` on top of a clean environment.
 */
export function spawnGateway(env: Record<string, string>, entryPoint: keyof typeof ENTRY_POINTS = 'gateway'): GatewayProcess {
  // One process (no tsx wrapper), so that signals and exit codes are the gateway's own.
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY_POINTS[entryPoint]], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', WEBHOOK_SECRET_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /"port":(\d+),[^\n]*"msg":"gateway listening"/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`gateway exited with ${code} before listening:\n${output}`)));
  });
  listening.catch(() => undefined);
  return {
    child,
    output: () => output,
    listening,
    exited,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Database settings for a gateway process: a fresh PostgreSQL clone, or a PGlite folder of its own. */
export async function freshDatabase(): Promise<{ env: Record<string, string>; dispose(): Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const db = await createTestDatabase();
    await db.knex.destroy();
    return { env: { DATABASE_URL: db.url as string }, dispose: () => db.close() };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-process-'));
  copyPgliteTemplate(dir);
  return { env: { PGLITE_DIR: dir }, dispose: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}
