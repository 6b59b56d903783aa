import type { ErrorRequestHandler, RequestHandler } from 'express';
import { Problem, type ProblemCode, type ValidationIssue } from './problem';
import { deadlineExceeded, pastDeadline } from './request-context';

type ValidatorError = Error & { status: number; errors?: { path?: string; message?: string }[] };

const VALIDATOR_CODES: Record<number, ProblemCode> = {
  400: 'validation_failed',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/**
 * A date or time PostgreSQL cannot read or store (SQLSTATE 22007, 22008). The spec's Timestamp pattern
 * keeps such values out; this is the net under it, should a value slip through.
 */
const DATETIME_SQLSTATE = new Set(['22007', '22008']);

/** SQLSTATE classes and driver errors that mean "the database is not there right now". */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P)/;
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

function databaseUnavailable(err: Error & { code?: string; name: string }): boolean {
  return (
    err.name === 'KnexTimeoutError' ||
    (typeof err.code === 'string' && (UNAVAILABLE_SQLSTATE.test(err.code) || UNAVAILABLE_ERRNO.has(err.code)))
  );
}

function issuesOf(err: ValidatorError): ValidationIssue[] {
  return (err.errors ?? []).map((e) => ({ path: e.path ?? '/', message: e.message ?? 'is invalid' }));
}

/** Turns anything thrown while serving a request into the problem the client should see. */
export function toProblem(err: unknown): Problem {
  if (err instanceof Problem) return err;
  const error = err as ValidatorError & { type?: string; code?: string };
  switch (error.type) {
    case 'entity.parse.failed':
      return new Problem('validation_failed', 'The body is not valid JSON.', {
        errors: [{ path: '/body', message: 'is not valid JSON' }],
      });
    case 'entity.too.large':
      return new Problem('payload_too_large', 'The body is over the 1 MB limit.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new Problem('unsupported_media_type', 'Send the body as UTF-8 application/json.');
  }
  // A query cancelled at the request's deadline (by knex's timeout, or PostgreSQL's query_canceled).
  if (pastDeadline() && (error.name === 'KnexTimeoutError' || error.code === '57014')) return deadlineExceeded();
  if (typeof error.code === 'string' && DATETIME_SQLSTATE.has(error.code)) {
    return new Problem('validation_failed', 'A date is outside what the gateway can store.', {
      errors: [{ path: '/', message: 'a date is out of range' }],
    });
  }
  if (databaseUnavailable(error)) {
    return new Problem('service_unavailable', 'The database is unavailable; retry shortly.', {}, { 'Retry-After': '1' });
  }
  const code = typeof error.status === 'number' ? VALIDATOR_CODES[error.status] : undefined;
  if (code === 'validation_failed') {
    return new Problem(code, error.message, { errors: issuesOf(error) });
  }
  if (code) return new Problem(code, error.message);
  return new Problem('internal_error', 'Something went wrong on our side; nothing was changed.');
}

export function problemResponder(): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const problem = toProblem(err);
    res.locals.problemCode = problem.code;
    if (problem.status >= 500) req.log.error({ err }, 'request failed');
    if (res.headersSent) return void res.end();
    res
      .status(problem.status)
      .set(problem.headers)
      .type('application/problem+json')
      .json(problem.toJSON(`urn:request:${String(req.id)}`));
  };
}

export function unknownRoute(): RequestHandler {
  return (req) => {
    throw new Problem('not_found', `No route ${req.method} ${req.path}.`);
  };
}
