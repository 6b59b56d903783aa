import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { callContext, type FaultKind } from './call-context';
import { countBy } from './count-by';

export interface RecordedRequest {
  seq: number;
  receivedAt: string;
  method: string;
  path: string;
  /** The query string's parameters. */
  query: Record<string, unknown>;
  /** The simulator's operation name; null when the call matched none (unknown route, unparsable request). */
  operation: string | null;
  requestBody: unknown;
  /** The status the simulator produced (also for a dropped answer); null when it produced none (down, client gone). */
  status: number | null;
  responseBody: unknown;
  /** `dropped`: the call took effect but the client got a broken connection instead of this answer. */
  fault: FaultKind | null;
  durationMs: number;
  /** The W3C trace context the caller sent (the gateway does when tracing is on). */
  traceparent: string | null;
}

export interface RequestLogSummary {
  total: number;
  byOperation: Record<string, number>;
  byStatus: Record<string, number>;
  byFault: Record<string, number>;
}

// Bounds memory in long demo runs; tests never come close.
const MAX_ENTRIES = 10_000;

export class RequestLog {
  private recorded: RecordedRequest[] = [];
  private seq = 0;

  add(entry: Omit<RecordedRequest, 'seq'>): void {
    this.seq += 1;
    this.recorded.push({ seq: this.seq, ...entry });
    if (this.recorded.length > MAX_ENTRIES) this.recorded.shift();
  }

  entries(): RecordedRequest[] {
    return structuredClone(this.recorded);
  }

  summary(): RequestLogSummary {
    return {
      total: this.seq,
      byOperation: countBy(this.recorded, (entry) => [entry.operation ?? '(none)']),
      byStatus: countBy(this.recorded, (entry) => [String(entry.status ?? 'none')]),
      byFault: countBy(this.recorded, (entry) => (entry.fault ? [entry.fault] : [])),
    };
  }

  clear(): void {
    this.recorded = [];
    this.seq = 0;
  }
}

export interface RecordingOptions {
  /** Top-level request body fields whose values are secrets (never recorded, never logged). */
  redactKeys?: readonly string[];
}

/** Records every call (including those a fault cut short) once its connection is done with it. */
export function recordRequests(log: RequestLog, logger: Logger, options: RecordingOptions = {}): RequestHandler {
  return (req, res, next) => {
    const started = Date.now();
    const path = req.path; // read now: mounted routers rewrite req.url while they handle the call
    let responseBody: unknown;
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      responseBody = body === undefined ? undefined : JSON.parse(JSON.stringify(body)); // as sent: no undefined fields
      return json(body);
    };
    res.on('close', () => {
      const { operation = null, fault = null } = callContext(res);
      const entry = {
        receivedAt: new Date(started).toISOString(),
        method: req.method,
        path,
        query: { ...req.query },
        operation,
        requestBody: redact(req.body, options.redactKeys ?? []),
        status: res.headersSent || fault === 'dropped' ? res.statusCode : null,
        responseBody,
        fault,
        durationMs: Date.now() - started,
        traceparent: req.get('traceparent') ?? null,
      };
      log.add(entry);
      const { method, status, durationMs } = entry;
      logger.info({ operation, method, path, status, fault, durationMs }, 'simulator call');
    });
    next();
  };
}

function redact(body: unknown, keys: readonly string[]): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const copy: Record<string, unknown> = { ...body };
  for (const key of keys) if (key in copy) copy[key] = '[redacted]';
  return copy;
}
