import express, { type RequestHandler, type Router } from 'express';
import pino, { type Logger } from 'pino';
import { adminRouter } from './admin-router';
import { FaultControls } from './fault-controls';
import { downGate, faultGate } from './fault-middleware';
import { listen, type ListenOptions } from './http-listener';
import { recordRequests, type RecordingOptions, type RequestLog } from './request-log';
import type { SimulatorState } from './simulator-state';

export interface SimulatorOptions extends ListenOptions {
  /** Defaults to a silent logger. Authorization headers and API keys are never logged. */
  logger?: Logger;
}

export interface Simulator<State> {
  /** Base URL of the simulated API, without a trailing slash. */
  readonly url: string;
  /** The same fault controls the admin HTTP API offers. */
  readonly faults: FaultControls;
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
  adminRoutes?: Router;
}

export async function startSimulator<State extends SimulatorState<unknown>>(
  parts: SimulatorParts<State>,
  options: SimulatorOptions,
): Promise<Simulator<State>> {
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ simulator: parts.name });
  const faults = new FaultControls(parts.operations);
  const closing = new AbortController();

  const app = express();
  app.disable('x-powered-by');
  app.use('/__admin', adminRouter({ faults, state: parts.state, extraRoutes: parts.adminRoutes }));
  app.use(recordRequests(parts.log, logger, parts.recording));
  app.use(downGate(faults));
  app.use(parts.api(faultGate(faults, parts.failureBody, closing.signal)));

  const listener = await listen(app, options);
  const url = listener.origin + parts.basePath;
  logger.info({ url }, 'simulator listening');
  return {
    url,
    faults,
    state: parts.state,
    close: async () => {
      closing.abort();
      await listener.close();
    },
  };
}
