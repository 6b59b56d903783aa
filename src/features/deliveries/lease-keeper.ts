/**
 * Keeps a claimed delivery's lease for as long as its attempt runs, renewing it every third of the lease:
 * an attempt slower than the lease (a slow downstream system, a loaded machine) must never be claimed and
 * sent a second time, at once, by another dispatcher. When the lease is lost to another dispatcher, or
 * was last renewed more than half of it ago (the database unreachable), the attempt is aborted at the next
 * tick, by five sixths of the lease at worst: before anyone else may take the delivery. Answers a function
 * that stops renewing.
 */
export function keepLease(renew: () => Promise<boolean>, leaseMs: number, abort: AbortController): () => void {
  let renewedAt = Date.now();
  const timer = setInterval(() => {
    if (Date.now() - renewedAt > leaseMs / 2) return abort.abort(new LeaseNotKeptError());
    const askedAt = Date.now();
    renew().then(
      (kept) => {
        if (kept) renewedAt = Math.max(renewedAt, askedAt);
        else abort.abort(new LeaseNotKeptError());
      },
      () => undefined,
    );
  }, leaseMs / 3);
  timer.unref();
  return () => clearInterval(timer);
}

/** Why an attempt was aborted: its lease was taken over, or could not be renewed in time. */
export class LeaseNotKeptError extends Error {
  constructor() {
    super('the delivery lease could not be kept');
    this.name = 'LeaseNotKeptError';
  }
}
