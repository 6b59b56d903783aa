import pino, { type Logger } from 'pino';
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
  'secret',
  '*.secret',
];

/** Buffered lines reach stdout at least this often, so that a quiet gateway's log is never stale. */
const FLUSH_INTERVAL_MS = 250;

/**
 * Log lines go to stdout asynchronously in 4 KB batches (a synchronous write per request costs more
 * than the request's own work), flushed every 250 ms and on shutdown.
 */
export function createLogger(level: Config['logLevel'], destination?: pino.DestinationStream): Logger {
  if (destination) return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
  const stdout = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => stdout.flush(), FLUSH_INTERVAL_MS).unref();
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stdout);
}
