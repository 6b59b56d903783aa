import { AsyncLocalStorage } from 'node:async_hooks';
import type { Request, RequestHandler } from 'express';
import type { Knex } from 'knex';
import onHeaders from 'on-headers';
import type { Role } from './principal';
import { Problem } from './problem';

/** What the gateway tracks for one request wherever its work goes: its deadline and its database time. */
export type RequestContext = { startedAt: number; deadlineAt: number; databaseMs: number };

const storage = new AsyncLocalStorage<RequestContext>();
/** The same contexts by request, for the middleware that starts the deadline. */
const contexts = new WeakMap<Request, RequestContext>();

/** After the deadline, a late handler gets this long before the gateway answers for it. */
const FALLBACK_GRACE_MS = 250;

export const deadlineExceeded = () =>
  new Problem('deadline_exceeded', 'The answer would have come too late; nothing was changed. Retry shortly.', {}, { 'Retry-After': '1' });

/** Runs `work` outside any request, so that work a request merely triggers does not inherit its deadline. */
export function outsideRequest<T>(work: () => T): T {
  return storage.exit(work);
}

/**
 * What a query started now may take before the current request's deadline: undefined outside a request;
 * throws `deadline_exceeded` when nothing is left. Also answers where to add the query's duration.
 */
export function queryBudget(): { remainingMs: number; addDatabaseTime(ms: number): void } | undefined {
  const context = storage.getStore();
  if (!context) return undefined;
  const remainingMs = context.deadlineAt - Date.now();
  if (remainingMs <= 0) throw deadlineExceeded();
  return { remainingMs, addDatabaseTime: (ms) => (context.databaseMs += ms) };
}

/** True once the current request (if any) is past its deadline. */
export function pastDeadline(): boolean {
  const context = storage.getStore();
  return context !== undefined && Date.now() >= context.deadlineAt;
}

/** The roles whose answers carry `Server-Timing`. */
const TIMING_ROLES: ReadonlySet<Role> = new Set(['staff', 'monitor', 'admin']);

/**
 * Gives each request a deadline and, for staff, monitor and admin keys, a `Server-Timing` header
 * (database and total time). Queries the request starts after its deadline are refused, and those
 * running at the deadline are cancelled (see `boundQueriesByDeadline`), so the answer is a 503 with
 * nothing half-done. The deadline counts from `startDeadline`, once the body has been read: a client
 * slow to send its body is the server's `REQUEST_TIMEOUT_MS`'s to answer (408), not the deadline's.
 */
export function requestContext(deadlineMs: number): RequestHandler {
  return (req, res, next) => {
    const startedAt = performance.now();
    // Until startDeadline, which puts it later; nothing before it queries the database.
    const context: RequestContext = { startedAt, deadlineAt: Date.now() + deadlineMs, databaseMs: 0 };
    onHeaders(res, () => {
      // The database time tells a hold's state apart (a replay, a refusal): only operators see it.
      if (!req.principal || !TIMING_ROLES.has(req.principal.role)) return;
      const total = performance.now() - startedAt;
      res.setHeader('Server-Timing', `db;dur=${context.databaseMs.toFixed(1)}, total;dur=${total.toFixed(1)}`);
    });
    contexts.set(req, context);
    storage.run(context, next);
  };
}

/**
 * Starts the request's deadline: placed after the body is read. A handler still busy elsewhere shortly
 * after the deadline is answered for.
 */
export function startDeadline(deadlineMs: number): RequestHandler {
  return (req, res, next) => {
    const context = contexts.get(req);
    if (context) context.deadlineAt = Date.now() + deadlineMs;
    const fallback = setTimeout(() => {
      if (!res.headersSent) next(deadlineExceeded());
    }, deadlineMs + FALLBACK_GRACE_MS);
    fallback.unref();
    res.once('close', () => clearTimeout(fallback));
    next();
  };
}

/** Query and raw builders can time out; schema builders (knex's own migration checks) cannot. */
type TimedBuilder = { timeout?(ms: number, options?: { cancel?: boolean }): unknown };

/**
 * Bounds every query of a request by the request's deadline: a query that would start after it is
 * refused, and one still running at the deadline is cancelled in PostgreSQL (its statement, or its
 * transaction, is rolled back). `cancel` is false for PGlite, which cannot cancel a running query: there
 * the deadline only stops new queries. Also adds each query's duration to the request's database time.
 */
export function boundQueriesByDeadline(knex: Knex, cancel: boolean): void {
  knex.on('start', (builder: TimedBuilder) => {
    const context = storage.getStore();
    if (!context) return;
    const remaining = context.deadlineAt - Date.now();
    if (remaining <= 0) throw deadlineExceeded();
    if (cancel) builder.timeout?.(remaining, { cancel: true });
  });
  const started = new Map<string, number>();
  const finished = (query: { __knexQueryUid?: string }) => {
    const start = query.__knexQueryUid === undefined ? undefined : started.get(query.__knexQueryUid);
    if (start === undefined) return;
    started.delete(query.__knexQueryUid as string);
    const context = storage.getStore();
    if (context) context.databaseMs += performance.now() - start;
  };
  knex.on('query', (query: { __knexQueryUid?: string }) => {
    if (query.__knexQueryUid !== undefined && storage.getStore()) started.set(query.__knexQueryUid, performance.now());
  });
  knex.on('query-response', (_response: unknown, query: { __knexQueryUid?: string }) => finished(query));
  knex.on('query-error', (_error: unknown, query: { __knexQueryUid?: string }) => finished(query));
}
