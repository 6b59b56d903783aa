/** A downstream target's name (a delivery target's, e.g. `tessitura`). */
export type DownstreamTarget = string;

/**
 * A downstream call that did not succeed. `permanent` means retrying the same request cannot help (the
 * target refused it as invalid); anything else may succeed later. `status` is the HTTP status, if any.
 */
export class DownstreamError extends Error {
  constructor(
    readonly target: DownstreamTarget,
    message: string,
    readonly options: { permanent?: boolean; status?: number; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'DownstreamError';
  }

  get permanent(): boolean {
    return this.options.permanent === true;
  }

  get status(): number | undefined {
    return this.options.status;
  }

  /** A 429: the target had too many calls at once and did nothing with this one. */
  get busy(): boolean {
    return this.status === 429;
  }

  /** How long the target asked to wait (its `Retry-After`), if it said. */
  get retryAfterMs(): number | undefined {
    return this.options.retryAfterMs;
  }

  /** A 4xx means the target answered and refused: not a sign that it is unhealthy. */
  get isClientError(): boolean {
    return this.status !== undefined && this.status >= 400 && this.status < 500;
  }
}

/** The target's breaker is open: nothing was sent; try again once it may have recovered. */
export class BreakerOpenError extends Error {
  constructor(readonly target: DownstreamTarget) {
    super(`${target} is failing; its circuit breaker is open`);
    this.name = 'BreakerOpenError';
  }
}
