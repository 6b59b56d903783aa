import express, { type RequestHandler, type Router } from 'express';
import pino, { type Logger } from 'pino';
import { adminRouter } from './admin-router';
import { ConcurrencyGate } from './concurrency-gate';
import { FaultControls } from './fault-controls';
import { downGate, faultGate } from './fault-middleware';
import { listen, type ListenOptions } from './http-listener';
import { type LatencyDistribution, LatencyModel } from './latency-model';
import { recordRequests, type RecordingOptions, type RequestLog } from './request-log';
import type { SimulatorState } from './simulator-state';

export interface SimulatorOptions extends ListenOptions {
  /** Defaults to a silent logger. Authorization headers and API keys are never logged. */
  logger?: Logger;
  /** The system's own service time for every call (none by default: answers as fast as it can). */
  latency?: LatencyDistribution;
  /** Draws the service times (tests give a known sequence); Math.random by default. */
  random?: () => number;
  /** Calls served at once; more are answered `429` with `Retry-After` (no limit by default). */
  concurrencyLimit?: number;
  /** The `Retry-After` of a call beyond the limit, in seconds (default 1). */
  retryAfterSeconds?: number;
}

export interface Simulator<State> {
  /** Base URL of the simulated API, without a trailing slash. */
  readonly url: string;
  /** The same fault controls the admin HTTP API offers. */
  readonly faults: FaultControls;
  /** Calls in flight, the most at once and those refused beyond `concurrencyLimit`. */
  readonly concurrency: ConcurrencyGate;
  readonly state: State;
  /** Prompt: destroys open connections and clears the simulator's timers. */
  close(): Promise<void>;
}

/** What a simulator brings to the shared server: its API, its state and how it answers an injected failure. */
export interface SimulatorParts<State extends SimulatorState<unknown>> {
  name: string;
  /** Path of the API below the origin, e.g. /TessituraService. */
  basePath: string;
  operations: readonly string[];
  state: State;
  log: RequestLog;
  recording?: RecordingOptions;
  /** Builds the API; `gate` (faults) must run in each call once the call's operation is set. */
  api(gate: RequestHandler): Router;
  failureBody(status: number): unknown;
  /** The body of a `429` to a call beyond the concurrency limit. */
  busyBody: unknown;
  adminRoutes?: Router;
}

export async function startSimulator<State extends SimulatorState<unknown>>(
  parts: SimulatorParts<State>,
  options: SimulatorOptions,
): Promise<Simulator<State>> {
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ simulator: parts.name });
  const faults = new FaultControls(parts.operations);
  const closing = new AbortController();
  const serviceTime = options.latency && new LatencyModel(options.latency, options.random);
  const concurrency = new ConcurrencyGate(options.concurrencyLimit, options.retryAfterSeconds ?? 1, parts.busyBody);

  const app = express();
  app.disable('x-powered-by');
  app.use('/__admin', adminRouter({ faults, concurrency, state: parts.state, extraRoutes: parts.adminRoutes }));
  app.use(recordRequests(parts.log, logger, parts.recording));
  app.use(downGate(faults));
  app.use(concurrency.middleware);
  app.use(parts.api(faultGate(faults, parts.failureBody, closing.signal, serviceTime)));

  const listener = await listen(app, options);
  const url = listener.origin + parts.basePath;
  logger.info({ url }, 'simulator listening');
  return {
    url,
    faults,
    concurrency,
    state: parts.state,
    close: async () => {
      closing.abort();
      await listener.close();
    },
  };
}
