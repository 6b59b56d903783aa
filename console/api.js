/**
 * The gateway's HTTP API, as the console uses it. Every call sends the signed-in key as `X-Api-Key`;
 * a failed call throws an ApiError whose message is the problem's `detail`.
 */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail ?? problem.title ?? `The gateway answered HTTP ${status}.`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code;
  }

  /** The key was not accepted (401) or may not do this (403). */
  get isAuthFailure() {
    return this.status === 401 || this.status === 403;
  }
}

const UNREACHABLE = { detail: 'The gateway could not be reached. Check the connection and try again.' };

/** `getKey()` answers the current key; `onAuthFailure(error)` is told about every 401 and 403. */
export function createApi({ getKey, onAuthFailure }) {
  async function call(method, path, query = {}, body = undefined) {
    const url = new URL(path, window.location.origin);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
    }
    let response;
    try {
      const headers = { 'X-Api-Key': getKey() ?? '', Accept: 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, UNREACHABLE);
    }
    const answer = await response.json().catch(() => null);
    if (response.ok) return answer;
    const error = new ApiError(response.status, answer ?? {});
    if (error.isAuthFailure) onAuthFailure(error);
    throw error;
  }

  const segment = (value) => encodeURIComponent(String(value));

  return {
    /** A call only staff and admin keys may make: checks a key at sign-in. */
    checkKey: () => call('GET', '/v1/deliveries', { limit: 1 }),
    searchHolds: (query) => call('GET', '/v1/holds', query),
    getHold: (globalId) => call('GET', `/v1/holds/${segment(globalId)}`),
    releaseHold: (globalId) => call('POST', `/v1/holds/${segment(globalId)}/release`),
    getListing: (remoteId) => call('GET', `/v1/listings/${segment(remoteId)}`),
    getOutbox: () => call('GET', '/v1/outbox'),
    listDeliveries: (query) => call('GET', '/v1/deliveries', query),
    retryDelivery: (id) => call('POST', `/v1/deliveries/${segment(id)}/retry`),
    getSlo: (window) => call('GET', '/v1/slo', { window }),
    /** `{ reason, restock }`: cancels an invoiced sale (staff and admin). */
    cancelSale: (globalId, cancellation) => call('POST', `/v1/invoices/${segment(globalId)}/cancellation`, {}, cancellation),
    /** Compares the sales delivered in `[from, to)` with Tessitura and SalesVu. */
    reconcile: ({ from, to }) => call('GET', '/v1/reconciliation', { from, to }),
  };
}
