import type { ErrorRequestHandler, RequestHandler } from 'express';

/** One element of the JSON array Tessitura answers errors with. */
export interface TessituraErrorItem {
  Code: string;
  Description: string;
  Details: string;
  ErrorPath: string | null;
}

export class TessituraError extends Error {
  constructor(
    readonly status: number,
    readonly items: TessituraErrorItem[],
  ) {
    super(items.map((item) => item.Description).join('; '));
  }
}

export function errorItem(code: string, description: string, errorPath: string | null = null, details = ''): TessituraErrorItem {
  return { Code: code, Description: description, Details: details, ErrorPath: errorPath };
}

/** A 400: a business or validation error that retrying will not fix. */
export function businessError(code: string, description: string, errorPath: string | null = null, details = ''): TessituraError {
  return new TessituraError(400, [errorItem(code, description, errorPath, details)]);
}

/** Beyond the concurrency limit: what an API gateway in front of Tessitura answers with its 429. */
export const busyBody: TessituraErrorItem[] = [errorItem('TOO_MANY_REQUESTS', 'Too many concurrent requests; retry after the time in Retry-After')];

export function injectedFailureBody(status: number): TessituraErrorItem[] {
  return [errorItem('TESSITURA_INJECTED_FAULT', `Injected failure (HTTP ${status})`)];
}

export const routeNotFound: RequestHandler = (req, res) => {
  res.status(404).json([errorItem('TESSITURA_NOT_FOUND', `No resource at ${req.method} ${req.path}`)]);
};

export const tessituraErrors: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  if (error instanceof TessituraError) {
    res.status(error.status).json(error.items);
  } else if (isUnparsableBody(error)) {
    res.status(400).json([errorItem('TESSITURA_VALIDATION_ERROR', 'The request body is not valid JSON', 'request')]);
  } else {
    res.status(500).json([errorItem('TESSITURA_SERVER_ERROR', 'An unexpected error occurred')]);
  }
};

function isUnparsableBody(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === 'entity.parse.failed';
}
