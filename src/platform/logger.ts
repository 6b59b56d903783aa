import pino, { Logger } from 'pino';
import type { Config } from './config';

/** Secrets and personal data never reach a log line, whatever a caller passes. */
const REDACTED_PATHS = [
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'headers["x-api-key"]',
  'headers.authorization',
  'customer',
  '*.customer',
  'payload.customer',
  'apiKey',
  'password',
  '*.password',
];

/**
 * Log lines are buffered and written asynchronously (a synchronous write per request costs more than the
 * request's own work); `flush()` on shutdown writes what is left.
 */
export function createLogger(level: Config['logLevel'], destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    destination ?? pino.destination({ dest: 1, sync: false, minLength: 4096 }),
  );
}
