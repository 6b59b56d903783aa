import autocannon from 'autocannon';
import { CpuUse, watchCpu } from './cpu';
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
  connections: number;
  seconds: number;
  /** The process serving the workload, whose CPU use is measured alongside. */
  serverPid: number;
  signal: AbortSignal;
  onTick: () => void;
};

/** Runs a workload against one side for a fixed time and measures it; rejects when `signal` aborts. */
export function measure(workload: Workload, settings: LoadSettings): Promise<Measurement> {
  settings.signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const abort = () => {
      instance.stop();
      reject(settings.signal.reason);
    };
    const cpuUse = watchCpu(settings.serverPid);
    const instance = autocannon(
      { url: workload.url, connections: settings.connections, duration: settings.seconds, requests: workload.requests },
      (error: Error | null, result: autocannon.Result) => {
        settings.signal.removeEventListener('abort', abort);
        if (error) return reject(error);
        if (settings.signal.aborted) return undefined;
        const attempted = result['2xx'] + result.non2xx + result.errors;
        return resolve({
          seconds: result.duration,
          rate: Math.round((workload.tally.completed / result.duration) * 10) / 10,
          completed: workload.tally.completed,
          latency: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
          requests: { ok: result['2xx'], refused: result.non2xx, errors: result.errors },
          failureShare: attempted === 0 ? 1 : (result.non2xx + result.errors) / attempted,
          refusals: Object.fromEntries(workload.tally.refusals),
          cpu: cpuUse(),
        });
      },
    );
    instance.on('tick', settings.onTick);
    settings.signal.addEventListener('abort', abort, { once: true });
  });
}
