import { DownstreamError, type DownstreamTarget } from './downstream-error';

export type HttpCall = {
  target: DownstreamTarget;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Aborts the call early (shutdown); the call also gives up on its own after `timeoutMs`. */
  signal?: AbortSignal;
};

/** `retryAfterMs`: the answer's `Retry-After` (seconds or an HTTP date), when it has one. */
export type HttpAnswer = { status: number; body: unknown; retryAfterMs?: number };

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** One HTTP exchange with its own time limit. Network failures and time-outs become DownstreamErrors. */
export async function httpCall(call: HttpCall): Promise<HttpAnswer> {
  const timeout = AbortSignal.timeout(call.timeoutMs);
  const signal = call.signal ? AbortSignal.any([timeout, call.signal]) : timeout;
  let response: Response;
  try {
    response = await fetch(call.url, { method: call.method, headers: call.headers, body: call.body, signal });
  } catch (err) {
    const reason = timeout.aborted ? `no answer within ${call.timeoutMs} ms` : (err as Error).message;
    throw new DownstreamError(call.target, `${call.method} ${new URL(call.url).pathname}: ${reason}`);
  }
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a proxy's error page, say): keep the text for the error message.
  }
  return { status: response.status, body, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
}
