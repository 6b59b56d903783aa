import type { RequestHandler } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { OpenApiRequest } from './openapi-request';

/**
 * Latency buckets in seconds: fine below 100 ms where the gateway lives, and edges at the request
 * deadline (4.5 s) and the partner's 5 s SLO, so that "answered within 5 s" is exact.
 */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 4.5, 5, 7.5, 10];
export const SLO_THRESHOLD_SECONDS = 5;
/** The route label of requests that matched no operation of the API. */
export const UNMATCHED_ROUTE = 'unmatched';

export type HttpMetrics = {
  duration: Histogram<'method' | 'route' | 'status'>;
  outcomes: Counter<'operation' | 'outcome'>;
};

export function createHttpMetrics(registry: Registry): HttpMetrics {
  return {
    duration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer a request, by method, route (the OpenAPI path) and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    outcomes: new Counter({
      name: 'ticket_gateway_operation_outcomes_total',
      help: 'Answers per operation: created, replayed, ok, or the problem code (e.g. insufficient_inventory).',
      labelNames: ['operation', 'outcome'],
      registers: [registry],
    }),
  };
}

/** Told of every answer: the OpenAPI route is undefined when the request matched no operation. */
export type AnswerListener = (method: string, route: string | undefined, status: number, seconds: number) => void;

/** Measures every request; the outcome is the problem code the error handler set, or what succeeded. */
export function measureRequests(metrics: HttpMetrics, onAnswer?: AnswerListener): RequestHandler {
  return (req, res, next) => {
    const stop = metrics.duration.startTimer();
    res.once('finish', () => {
      const request = req as typeof req & OpenApiRequest;
      // The OpenAPI path template, so that ids never become label values.
      const route = request.openapi?.openApiRoute;
      const seconds = stop({ method: req.method, route: route ?? UNMATCHED_ROUTE, status: String(res.statusCode) });
      onAnswer?.(req.method, route, res.statusCode, seconds);
      const operation = request.openapi?.schema?.operationId;
      if (!operation) return;
      const problem = res.locals.problemCode as string | undefined;
      const outcome =
        problem ?? (res.statusCode === 201 ? 'created' : res.getHeader('Idempotent-Replayed') === 'true' ? 'replayed' : 'ok');
      metrics.outcomes.inc({ operation, outcome });
    });
    next();
  };
}
