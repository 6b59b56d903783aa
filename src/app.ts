import express, { type Express, type Router } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Logger } from 'pino';
import { authorizeOperation, type KeyAuthenticator, resolvePrincipal } from './platform/authentication';
import { type HttpMetrics, measureRequests } from './platform/http-metrics';
import { loadOpenApiDocument } from './platform/openapi-document';
import { problemResponder, unknownRoute } from './platform/problem-responder';
import { requestContext } from './platform/request-context';
import { requestLogging } from './platform/request-logging';

export const BODY_LIMIT = '1mb';

export type AppOptions = {
  logger: Logger;
  keys: KeyAuthenticator;
  /** Static pages outside the API (docs, console): no key, no validation. */
  pages: Router;
  routers: Router[];
  metrics: HttpMetrics;
  requestDeadlineMs: number;
  /** Check every answer against the OpenAPI document too (tests turn this on). */
  validateResponses?: boolean;
};

const authorize = async (req: express.Request) => authorizeOperation(req);

export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestContext(options.requestDeadlineMs));
  app.use(requestLogging(options.logger));
  app.use(options.pages);
  app.use(measureRequests(options.metrics));
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(resolvePrincipal(options.keys));
  app.use(
    OpenApiValidator.middleware({
      apiSpec: loadOpenApiDocument(),
      validateRequests: { allowUnknownQueryParameters: false, coerceTypes: false },
      validateResponses: options.validateResponses ? { removeAdditional: false } : false,
      validateSecurity: { handlers: { ApiKeyAuth: authorize, BearerAuth: authorize } },
      // 'full' checks the calendar too: 2027-02-29 is not a date.
      validateFormats: true,
      ajvFormats: { mode: 'full' },
    }),
  );
  for (const router of options.routers) app.use(router);
  app.use(unknownRoute());
  app.use(problemResponder());
  return app;
}
