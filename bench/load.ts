import autocannon from 'autocannon';
import { type CpuUse, watchCpu } from './cpu';
import type { Workload } from './scenarios';

export type Measurement = {
  seconds: number;
  /** Completed units of work per second (2xx answers only). */
  rate: number;
  completed: number;
  /** Per HTTP request, in milliseconds. */
  latency: { p50: number; p99: number; max: number };
  requests: { ok: number; refused: number; errors: number };
  /** Answers that were not 2xx, plus connection errors and timeouts, over everything sent. */
  failureShare: number;
  /** A sample answer for each non-2xx status seen. */
  refusals: Record<string, string>;
  cpu: CpuUse;
};

export type LoadSettings = {
  /** The side's processes (a fleet of gateways, or one server): connection i goes to url i mod n. */
  urls: string[];
  connections: number;
  seconds: number;
  /** The processes serving the workload, whose CPU use is measured alongside. */
  serverPids: number[];
  /** The run database's sessions, whose CPU use is measured too (null: not on this machine). */
  sessionPids: () => Promise<number[] | null>;
  signal: AbortSignal;
  onTick: () => void;
};

/**
 * autocannon's options as its code takes them: `url` may list several origins, and connection i then goes
 * to url i mod n (lib/run.js); its type definitions allow one. Each origin gets the same requests.
 */
type SpreadOptions = Omit<autocannon.Options, 'url'> & { url: string | string[] };
type Autocannon = (options: SpreadOptions, done: (error: Error | null, result: autocannon.Result) => void) => autocannon.Instance;
const spreadLoad = autocannon as Autocannon;

/** autocannon for `settings.seconds`; rejects with the abort reason as soon as `signal` aborts. */
function drive(workload: Workload, settings: LoadSettings): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      instance.stop();
      reject(settings.signal.reason);
    };
    const instance = spreadLoad(
      { url: settings.urls, connections: settings.connections, duration: settings.seconds, requests: workload.requests },
      (error: Error | null, result: autocannon.Result) => {
        settings.signal.removeEventListener('abort', abort);
        if (error) reject(error);
        else if (!settings.signal.aborted) resolve(result);
      },
    );
    instance.on('tick', settings.onTick);
    settings.signal.addEventListener('abort', abort, { once: true });
  });
}

/** Runs a workload against one side for a fixed time and measures it; rejects when `signal` aborts. */
export async function measure(workload: Workload, settings: LoadSettings): Promise<Measurement> {
  settings.signal.throwIfAborted();
  const cpuUse = await watchCpu(settings.serverPids, settings.sessionPids);
  const result = await drive(workload, settings);
  const attempted = result['2xx'] + result.non2xx + result.errors;
  return {
    seconds: result.duration,
    rate: Math.round((workload.tally.completed / result.duration) * 10) / 10,
    completed: workload.tally.completed,
    latency: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    requests: { ok: result['2xx'], refused: result.non2xx, errors: result.errors },
    failureShare: attempted === 0 ? 1 : (result.non2xx + result.errors) / attempted,
    refusals: Object.fromEntries(workload.tally.refusals),
    cpu: await cpuUse(),
  };
}
