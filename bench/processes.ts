import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

export type ServerSpec = {
  name: string;
  /** The compiled entry point, run with this Node binary. */
  script: string;
  nodeArgs?: string[];
  /** The child's whole environment, besides PATH and its port (nothing else is inherited). */
  env: Record<string, string>;
  /** stdout and stderr both go here, straight from the child. */
  logFile: string;
  /** Polled until it answers 200. */
  readyPath: string;
  /** The variable that tells the child its port (PORT by default). */
  portVariable?: string;
};

export type ServerProcess = {
  name: string;
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL if the process has not exited after a grace period. */
  stop(): Promise<void>;
};

const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 100;
/** Longer than the gateway's own shutdown grace (10 s), so that a clean stop is never cut short. */
const STOP_GRACE_MS = 15_000;

const running = new Set<ChildProcess>();

// Whatever ends the bench (an error, a second ctrl-c), no server is left behind.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, exited: Promise<unknown>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastAnswer = 'none';
  while (!gone && Date.now() < deadline) {
    const res = await fetch(url).catch(() => undefined);
    if (res?.status === 200) return;
    if (res) lastAnswer = `${res.status} ${(await res.text()).slice(0, 300)}`;
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  throw new Error(
    gone ? 'it exited before it was ready' : `${url} did not answer 200 within ${READY_TIMEOUT_MS / 1000} s (last answer: ${lastAnswer})`,
  );
}

/**
 * Starts `node <script>` on a free port and waits until it is ready. Once it is, `onUnexpectedExit` is
 * called if the process ends without `stop()` having asked it to.
 */
export async function startServer(spec: ServerSpec, onUnexpectedExit: (error: Error) => void): Promise<ServerProcess> {
  const port = await freePort();
  const log = fs.openSync(spec.logFile, 'a');
  const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), spec.script], {
    env: { PATH: process.env.PATH ?? '', ...spec.env, [spec.portVariable ?? 'PORT']: String(port) },
    stdio: ['ignore', log, log],
    // Its own process group: a ctrl-c in the terminal reaches only the bench, which stops it in order.
    detached: true,
  });
  fs.closeSync(log);
  running.add(child);

  let state: 'starting' | 'running' | 'stopping' = 'starting';
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      if (state === 'running') onUnexpectedExit(new Error(`${spec.name} exited (${signal ?? `code ${code}`}); see ${spec.logFile}`));
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(`${url}${spec.readyPath}`, exited);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${spec.name} did not start: ${(error as Error).message}; see ${spec.logFile}`);
  }
  state = 'running';

  return {
    name: spec.name,
    url,
    pid: child.pid!,
    stop: async () => {
      state = 'stopping';
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const cut = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(cut);
    },
  };
}
