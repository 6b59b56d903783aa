import type { RequestHandler } from 'express';

/** What a simulator's API gateway saw of concurrent calls: the limit, the calls in flight, the most at once, those served and refused. */
export interface ConcurrencySnapshot {
  limit: number | null;
  inFlight: number;
  peak: number;
  served: number;
  refused: number;
}

/**
 * Counts the API calls in flight, from arrival until their answer is sent or their connection closes, and,
 * with a limit, answers a call beyond it at once with `429` and `Retry-After` (in whole seconds), as an API
 * gateway in front of a system with a fixed number of workers does. A refused call has no effect.
 */
export class ConcurrencyGate {
  private inFlight = 0;
  private peak = 0;
  private served = 0;
  private refused = 0;

  constructor(
    private readonly limit: number | undefined,
    private readonly retryAfterSeconds: number,
    private readonly busyBody: unknown,
  ) {}

  snapshot(): ConcurrencySnapshot {
    return { limit: this.limit ?? null, inFlight: this.inFlight, peak: this.peak, served: this.served, refused: this.refused };
  }

  readonly middleware: RequestHandler = (_req, res, next) => {
    if (this.limit !== undefined && this.inFlight >= this.limit) {
      this.refused++;
      res.status(429).set('Retry-After', String(this.retryAfterSeconds)).json(this.busyBody);
      return;
    }
    this.inFlight++;
    this.served++;
    this.peak = Math.max(this.peak, this.inFlight);
    let counted = true;
    const leave = () => {
      if (counted) this.inFlight--;
      counted = false;
    };
    res.once('finish', leave);
    res.once('close', leave);
    next();
  };
}
