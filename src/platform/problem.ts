/**
 * Every error a client can see: a stable `code`, its HTTP status and title. The OpenAPI document lists
 * which codes each operation can answer and what each means; keep the two in step.
 */
export const PROBLEMS = {
  validation_failed: { status: 400, title: 'Validation failed' },
  invalid_cursor: { status: 400, title: 'Invalid cursor' },
  webhook_url_refused: { status: 400, title: 'Webhook URL refused' },
  invalid_window: { status: 400, title: 'Invalid window' },
  window_too_long: { status: 400, title: 'Window too long' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  ambiguous_credentials: { status: 401, title: 'Ambiguous credentials' },
  forbidden: { status: 403, title: 'Forbidden' },
  restock_forbidden: { status: 403, title: 'Restock forbidden' },
  not_found: { status: 404, title: 'Not found' },
  hold_not_found: { status: 404, title: 'Hold not found' },
  listing_not_found: { status: 404, title: 'Listing not found' },
  api_key_not_found: { status: 404, title: 'API key not found' },
  delivery_not_found: { status: 404, title: 'Delivery not found' },
  webhook_not_found: { status: 404, title: 'Webhook not found' },
  partner_not_found: { status: 404, title: 'Partner not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  global_id_conflict: { status: 409, title: 'Global id conflict' },
  insufficient_inventory: { status: 409, title: 'Insufficient inventory' },
  invalid_split: { status: 409, title: 'Invalid split' },
  already_invoiced: { status: 409, title: 'Already invoiced' },
  order_id_conflict: { status: 409, title: 'Order id conflict' },
  hold_released: { status: 409, title: 'Hold released' },
  quantity_below_committed: { status: 409, title: 'Quantity below committed' },
  hold_limit_reached: { status: 409, title: 'Hold limit reached' },
  not_invoiced: { status: 409, title: 'Not invoiced' },
  event_started: { status: 409, title: 'Event started' },
  cancellation_conflict: { status: 409, title: 'Cancellation conflict' },
  last_admin_key: { status: 409, title: 'Last admin key' },
  delivery_already_delivered: { status: 409, title: 'Delivery already delivered' },
  webhook_exists: { status: 409, title: 'Webhook exists' },
  webhook_deleted: { status: 409, title: 'Webhook deleted' },
  request_timeout: { status: 408, title: 'Request timeout' },
  hold_expired: { status: 410, title: 'Hold expired' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  batch_too_large: { status: 413, title: 'Batch too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  rate_limited: { status: 429, title: 'Rate limited' },
  internal_error: { status: 500, title: 'Internal error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
  deadline_exceeded: { status: 503, title: 'Deadline exceeded' },
  not_ready: { status: 503, title: 'Not ready' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export type ValidationIssue = { path: string; message: string };

/** Extra members a problem may carry beside the standard ones (e.g. `available`, `errors`). */
export type ProblemExtensions = Record<string, unknown>;

export class Problem extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extensions: ProblemExtensions = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'Problem';
    this.status = PROBLEMS[code].status;
    this.title = PROBLEMS[code].title;
  }

  toJSON(instance?: string): Record<string, unknown> {
    return {
      type: `urn:ticket-gateway:problem:${this.code}`,
      title: this.title,
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...(instance ? { instance } : {}),
      ...this.extensions,
    };
  }
}
