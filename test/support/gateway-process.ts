import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ENTRY_POINTS = {
  gateway: path.resolve(__dirname, '..', '..', 'src', 'main.ts'),
  worker: path.resolve(__dirname, '..', '..', 'src', 'worker.ts'),
};

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
 * Runs `src/main.ts` (or `src/worker.ts`) as its own process, as `npm start` (or `npm run worker`) would,
 * with `env` on top of a clean environment.
 */
export function spawnGateway(env: Record<string, string>, entryPoint: keyof typeof ENTRY_POINTS = 'gateway'): GatewayProcess {
  // One process (no tsx wrapper), so that signals and exit codes are the gateway's own.
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY_POINTS[entryPoint]], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /"port":(\d+),"msg":"gateway listening"/.exec(output);
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
