import type { ErrorRequestHandler, RequestHandler } from 'express';

/**
 * An answered refusal. SalesVu is a PHP endpoint whose public clients look at `status` in the body,
 * so refusals go out as HTTP 200 `{ status: "error", message }`; other statuses mean the HTTP exchange
 * itself failed (injected faults, unknown path, defects).
 */
export class SalesVuError extends Error {}

export function errorBody(message: string) {
  return { status: 'error', message };
}

/** Beyond the concurrency limit (a 429 with Retry-After). */
export const busyBody = errorBody('Too many concurrent requests; retry after the time in Retry-After');

export function injectedFailureBody(status: number) {
  return errorBody(`Injected failure (HTTP ${status})`);
}

export const pathNotFound: RequestHandler = (_req, res) => {
  res.status(404).json(errorBody('Not found'));
};

export const salesVuErrors: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  if (error instanceof SalesVuError) res.status(200).json(errorBody(error.message));
  else res.status(500).json(errorBody('Internal error'));
};
