import type { RequestHandler, Response } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import { callContext } from './call-context';
import type { FaultControls } from './fault-controls';
import type { LatencyModel } from './latency-model';

/** While the simulator is down, a call gets its connection destroyed without any answer. */
export function downGate(faults: FaultControls): RequestHandler {
  return (req, res, next) => {
    if (!faults.isDown) return next();
    callContext(res).fault = 'down';
    req.socket.destroy();
  };
}

/**
 * Applies latency (the simulated system's own service time, if any, plus injected latency), injected
 * failures and dropped answers to a call whose operation is already known (`callContext(res).operation`).
 * `closing` aborts pending delays when the simulator shuts down.
 */
export function faultGate(
  faults: FaultControls,
  failureBody: (status: number) => unknown,
  closing: AbortSignal,
  serviceTime?: LatencyModel,
): RequestHandler {
  return async (_req, res, next) => {
    const context = callContext(res);
    const delay = faults.latencyFor(context.operation) + (serviceTime?.sampleMs() ?? 0);
    if (delay > 0) {
      try {
        await sleep(delay, undefined, { signal: closing });
      } catch {
        return; // shutting down: the connection is being destroyed anyway
      }
    }
    const status = faults.takeFailure(context.operation);
    if (status !== undefined) {
      context.fault = 'failed';
      res.status(status).json(failureBody(status));
      return;
    }
    if (faults.takeDrop(context.operation)) {
      context.fault = 'dropped';
      loseAnswer(res);
    }
    next();
  };
}

/** The call is handled as usual, but the connection is destroyed in place of sending the answer. */
function loseAnswer(res: Response): void {
  res.end = (() => {
    res.socket?.destroy();
    return res;
  }) as Response['end'];
}
