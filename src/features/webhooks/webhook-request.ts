import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { DownstreamError } from '../../downstream/downstream-error';
import { RefusedAddressError, type ResolvedAddress, resolveWebhookHost } from './webhook-address';

const TARGET = 'webhook';
const USER_AGENT = 'TicketGateway-Webhooks/1';
/** Of a receiver's answer, only this much is read (and a little of it kept for the error message). */
const MAX_ANSWER_BYTES = 64 * 1024;
const ERROR_DETAIL_CHARS = 200;

export type WebhookRequest = {
  url: string;
  /** The raw JSON body, sent byte for byte as it was signed. */
  body: string;
  /** Added to `Content-Type: application/json` and the user agent (e.g. `Gateway-Signature`). */
  headers?: Record<string, string>;
  /** WEBHOOK_ALLOW_PRIVATE_URLS: http and internal addresses allowed (tests, the local demo). */
  allowPrivate: boolean;
  /** The whole exchange (resolving the name, connecting, the answer) must end within this. */
  timeoutMs: number;
  /** Aborts the call early (shutdown). */
  signal?: AbortSignal;
};

export type WebhookAnswer = { status: number };

/** The URL or its address may not be sent to: retrying cannot help until an admin registers another. */
export class WebhookRefusedError extends DownstreamError {
  constructor(message: string) {
    super(TARGET, message, { permanent: true });
    this.name = 'WebhookRefusedError';
  }
}

/** Like the registration's check: https (unless private URLs are allowed) and no credentials in the URL. */
function targetUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookRefusedError('the webhook URL is not a URL');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    throw new WebhookRefusedError(`${url.protocol}// webhook URLs are refused: https only`);
  }
  if (url.username || url.password) throw new WebhookRefusedError('webhook URLs with credentials are refused');
  return url;
}

/** Waits for `promise`, or rejects when `signal` aborts first (a name lookup cannot itself be cancelled). */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Connects only to the addresses that were checked: the name is not resolved a second time (no DNS rebinding). */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const usable = addresses.filter(({ family }) => !options.family || options.family === family);
    if (usable.length === 0) {
      callback(Object.assign(new Error('no checked address of the requested family'), { code: 'ENOTFOUND' }), '', 0);
    } else if (options.all) callback(null, usable);
    else callback(null, usable[0].address, usable[0].family);
  };
}

function post(url: URL, addresses: ResolvedAddress[], request: WebhookRequest, signal: AbortSignal): Promise<{ status: number; text: string }> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': USER_AGENT,
          ...request.headers,
          'Content-Length': String(Buffer.byteLength(request.body)),
        },
        lookup: pinnedLookup(addresses),
        // A connection of its own, never one pooled for another (possibly re-resolved) request.
        agent: false,
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_ANSWER_BYTES) {
            done();
            res.destroy();
          }
        });
        res.on('end', done);
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

/** A printable excerpt of the receiver's answer, for staff reading `last_error`. */
const excerpt = (text: string) => {
  const printable = text.replace(/[^\x21-\x7e]+/g, ' ').trim().slice(0, ERROR_DETAIL_CHARS);
  return printable ? `: ${printable}` : '';
};

/**
 * POSTs one webhook: https only and only to public addresses (unless `allowPrivate`), the address checked
 * being the one connected to; redirects are never followed. A 2xx is delivered; any other answer, a
 * network failure or the time limit is a DownstreamError worth retrying (with the HTTP `status` when there
 * was one); a refused URL or address is a permanent WebhookRefusedError.
 */
export async function sendWebhook(request: WebhookRequest): Promise<WebhookAnswer> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  const url = targetUrl(request.url, request.allowPrivate);
  const where = `POST ${url.origin}`;
  const failure = (err: unknown) =>
    new DownstreamError(TARGET, `${where}: ${timeout.aborted ? `no answer within ${request.timeoutMs} ms` : (err as Error).message}`);

  let addresses: ResolvedAddress[];
  try {
    addresses = await unlessAborted(resolveWebhookHost(url.hostname, request.allowPrivate), signal);
  } catch (err) {
    if (err instanceof RefusedAddressError) throw new WebhookRefusedError(`${where}: refused: ${err.message}`);
    throw failure(err);
  }
  let answer: { status: number; text: string };
  try {
    answer = await post(url, addresses, request, signal);
  } catch (err) {
    throw failure(err);
  }
  const { status } = answer;
  if (status >= 200 && status < 300) return { status };
  if (status >= 300 && status < 400) {
    throw new DownstreamError(TARGET, `${where}: HTTP ${status}: a redirect, not followed (the endpoint must answer 2xx itself)`, { status });
  }
  throw new DownstreamError(TARGET, `${where}: HTTP ${status}${excerpt(answer.text)}`, { status });
}
