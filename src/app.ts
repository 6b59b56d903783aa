import express, { type Express, type RequestHandler, type Router } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Logger } from 'pino';
import { authorizeOperation, type KeyAuthenticator, resolvePrincipal } from './platform/authentication';
import type { Config } from './platform/config';
import { type AnswerListener, type HttpMetrics, measureRequests } from './platform/http-metrics';
import { limitConcurrencyPerKey } from './platform/key-concurrency';
import { loadOpenApiDocument } from './platform/openapi-document';
import { problemResponder, unknownRoute } from './platform/problem-responder';
import { type KnownKeys, limitPerAddress, limitPerKey, type RateLimitSettings } from './platform/rate-limits';
import { requestContext, startDeadline } from './platform/request-context';
import { requestLogging } from './platform/request-logging';
import { apiSecurityHeaders } from './platform/security-headers';

export const BODY_LIMIT = '1mb';
/** The heaviest operation: up to 1000 listings checked and written. */
const BATCH_PATH = '/v1/listings/batch';

export type AppOptions = {
  logger: Logger;
  keys: KeyAuthenticator & KnownKeys;
  rateLimits: RateLimitSettings;
  keyConcurrency: Config['keyConcurrency'];
  /** Static pages outside the API (docs, console): no key, no validation. */
  pages: Router;
  routers: Router[];
  metrics: HttpMetrics;
  /** Told of each answer beside the metrics (the SLO's per-minute latency). */
  onAnswer?: AnswerListener;
  requestDeadlineMs: number;
  /** Check every answer against the OpenAPI document too (tests turn this on). */
  validateResponses?: boolean;
};

/**
 * Puts `authorize` right after the validator has matched the operation, where the validator's own
 * security step would run. That step is off: it calls a handler per scheme the spec allows and builds an
 * Error, stack trace and all, for each scheme a request does not use, on every request.
 */
function withAuthorization(validator: RequestHandler[], authorize: RequestHandler): RequestHandler[] {
  const matched = validator.findIndex((middleware) => middleware.name === 'metadataMiddleware');
  if (matched < 0) throw new Error('express-openapi-validator has no metadataMiddleware to authorize after');
  return [...validator.slice(0, matched + 1), authorize, ...validator.slice(matched + 1)];
}

export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestContext(options.requestDeadlineMs));
  app.use(requestLogging(options.logger));
  app.use(options.pages);
  app.use(apiSecurityHeaders());
  app.use(measureRequests(options.metrics, options.onAnswer));
  app.use(limitPerAddress(options.rateLimits, options.keys));
  app.use(express.json({ limit: BODY_LIMIT }));
  // The deadline counts from here: a body still arriving is bounded by the server's request timeout (408).
  app.use(startDeadline(options.requestDeadlineMs));
  app.use(resolvePrincipal(options.keys));
  app.use(limitPerKey(options.rateLimits));
  app.use(limitConcurrencyPerKey(options.keyConcurrency.requests, 'too many requests'));
  app.use(BATCH_PATH, limitConcurrencyPerKey(options.keyConcurrency.batches, 'a batch'));
  const apiSpec = loadOpenApiDocument();
  const validator = OpenApiValidator.middleware({
    apiSpec,
    validateRequests: { allowUnknownQueryParameters: false, coerceTypes: false },
    validateResponses: options.validateResponses ? { removeAdditional: false } : false,
    validateSecurity: false,
    // 'full' checks the calendar too: 2027-02-29 is not a date.
    validateFormats: true,
    ajvFormats: { mode: 'full' },
  });
  app.use(withAuthorization(validator, authorizeOperation(apiSpec.security ?? [])));
  for (const router of options.routers) app.use(router);
  app.use(unknownRoute());
  app.use(problemResponder());
  return app;
}
