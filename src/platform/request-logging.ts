import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

const ACCEPTABLE_REQUEST_ID = /^[!-~]{1,128}$/;

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * The caller is known only once its key is checked: added to the line logged at the end rather than
 * bound to a child logger per request.
 */
const withActor = (req: IncomingMessage, line: object) => ({ ...line, actor: (req as Request).principal?.actor });

/**
 * One log line per request with its id (the caller's `X-Request-Id` when it sent a usable one, echoed
 * back). Only method, path and status are logged: never headers (API keys) nor bodies (customer data).
 */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: requestId,
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessObject: (req, _res, line: object) => withActor(req, line),
    customErrorObject: (req, _res, _err, line: object) => withActor(req, line),
  });
}
