import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { eventually } from './eventually';

/** Debian's `prometheus` package brings both programs; CI installs it (.ci/run). */
type PrometheusProgram = 'promtool' | 'prometheus';

const installed = (program: PrometheusProgram) => spawnSync(program, ['--version'], { stdio: 'ignore' }).status === 0;

/** `describe` where `program` is installed; elsewhere `describe.skip` with a warning saying how to install it. */
export function describeWith(program: PrometheusProgram): jest.Describe {
  if (installed(program)) return describe;
  console.warn(`skipped: ${program} is not installed (apt-get install prometheus, as .ci/run does)`);
  return describe.skip;
}

export type Sample = { metric: Record<string, string>; value: [seconds: number, value: string] };
export type RuleHealth = { name: string; query: string; type: 'recording' | 'alerting'; health: 'ok' | 'err' | 'unknown'; lastError?: string };
type Answer<T> = { status: 'success' | 'error'; data: T; error?: string };

export type PrometheusServer = {
  url: string;
  /** An instant query's samples; rejects with Prometheus's error for a query it cannot evaluate. */
  query(expr: string): Promise<Sample[]>;
  /** Every loaded rule with the health of its latest evaluation. */
  rules(): Promise<RuleHealth[]>;
  close(): Promise<void>;
};

export type ScrapeSettings = { target: AddressInfo; bearerToken: string; ruleFiles: string[] };

const STARTUP_LIMIT_MS = 60_000;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * A real Prometheus on loopback, scraping one gateway as the job `ticket-gateway` every second and
 * evaluating the rules every second, in a temporary folder removed on close.
 */
export async function startPrometheus({ target, bearerToken, ruleFiles }: ScrapeSettings): Promise<PrometheusServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prometheus-'));
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    stringify({
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
      rule_files: ruleFiles,
      scrape_configs: [
        {
          job_name: 'ticket-gateway',
          authorization: { credentials: bearerToken },
          static_configs: [{ targets: [`${target.address}:${target.port}`] }],
        },
      ],
    }),
  );
  const url = `http://127.0.0.1:${await freePort()}`;
  const server = spawn(
    'prometheus',
    [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=${new URL(url).host}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  server.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const exited = once(server, 'exit');

  const close = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const ready = await eventually(
    () => fetch(`${url}/-/ready`).then((answer) => answer.ok, () => false),
    (isReady) => isReady || server.exitCode !== null,
    STARTUP_LIMIT_MS,
    200,
  );
  if (!ready) {
    await close();
    throw new Error(`Prometheus did not start:\n${log}`);
  }

  async function api<T>(pathAndQuery: string): Promise<T> {
    const answer = (await (await fetch(`${url}${pathAndQuery}`)).json()) as Answer<T>;
    if (answer.status !== 'success') throw new Error(`Prometheus refused ${decodeURIComponent(pathAndQuery)}: ${answer.error}`);
    return answer.data;
  }

  return {
    url,
    async query(expr) {
      const data = await api<{ resultType: string; result: Sample[] }>(`/api/v1/query?${new URLSearchParams({ query: expr })}`);
      if (data.resultType !== 'vector') throw new Error(`${expr} is a ${data.resultType}, not an instant vector`);
      return data.result;
    },
    async rules() {
      const data = await api<{ groups: { rules: RuleHealth[] }[] }>('/api/v1/rules');
      return data.groups.flatMap((group) => group.rules);
    },
    close,
  };
}
