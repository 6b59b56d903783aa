import express, { type ErrorRequestHandler, type Router } from 'express';
import type { ConcurrencyGate } from './concurrency-gate';
import { FaultError, type DropOptions, type FailOptions, type FaultControls, type LatencyOptions } from './fault-controls';
import type { SimulatorState } from './simulator-state';

/** An admin request body as typed by its caller; FaultControls checks every value. */
type FaultBody = FailOptions & DropOptions & LatencyOptions;

export interface AdminRouterParts {
  faults: FaultControls;
  concurrency: ConcurrencyGate;
  state: SimulatorState<unknown>;
  /** Routes only one simulator has (mounted under the same /__admin prefix). */
  extraRoutes?: Router;
}

/** The unauthenticated control API under /__admin; it keeps answering while the simulator is "down". */
export function adminRouter({ faults, concurrency, state, extraRoutes }: AdminRouterParts): Router {
  const router = express.Router();
  router.use(express.json());
  const faultActions: Record<string, (body: FaultBody) => void> = {
    fail: (body) => faults.failNext(body),
    drop: (body) => faults.dropNext(body),
    latency: (body) => faults.setLatency(body),
    down: () => faults.goDown(),
    up: () => faults.comeUp(),
    reset: () => faults.reset(),
  };

  router.get('/state', (_req, res) => {
    res.json({ ...state.snapshot(), faults: faults.snapshot() });
  });
  router.get('/requests', (_req, res) => {
    res.json(state.requests());
  });
  router.get('/concurrency', (_req, res) => {
    res.json(concurrency.snapshot());
  });
  router.get('/faults', (_req, res) => {
    res.json(faults.snapshot());
  });
  for (const [name, act] of Object.entries(faultActions)) {
    router.post(`/faults/${name}`, (req, res) => {
      act(req.body ?? {});
      res.json(faults.snapshot());
    });
  }
  router.post('/state/reset', (_req, res) => {
    state.reset();
    res.status(204).end();
  });
  router.post('/reset', (_req, res) => {
    faults.reset();
    state.reset();
    res.status(204).end();
  });
  if (extraRoutes) router.use(extraRoutes);
  router.use(adminErrors);
  return router;
}

export class AdminInputError extends Error {}

const adminErrors: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  const badInput = error instanceof FaultError || error instanceof AdminInputError || isBodyParserError(error);
  res.status(badInput ? 400 : 500).json({ error: error instanceof Error ? error.message : String(error) });
};

function isBodyParserError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 400;
}
