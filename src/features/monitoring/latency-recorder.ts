import { addBuckets, bucketsOf } from './latency-buckets';
import { keyOf, type LatencyMinute, type LatencyStore, type StatusClass } from './latency-store';

const MINUTE_MS = 60_000;

/** The minute a moment falls in. */
export const minuteOf = (ms: number) => new Date(Math.floor(ms / MINUTE_MS) * MINUTE_MS);

const statusClassOf = (status: number): StatusClass | undefined =>
  status >= 200 && status < 600 ? (`${Math.floor(status / 100)}xx` as StatusClass) : undefined;

/** Which requests count towards the SLO: by method and OpenAPI route. */
export type SloScope = (method: string, route: string) => boolean;

/**
 * This process's answers per minute, operation and status class, not yet added to the shared table:
 * recorded in memory as each request finishes (nothing on the request path touches the database), and
 * added by `flush` in one statement.
 */
export class LatencyRecorder {
  private pending = new Map<string, LatencyMinute>();
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Pick<LatencyStore, 'add'>,
    private readonly inScope: SloScope,
    private readonly now: () => number,
  ) {}

  /** One answer; `route` is the OpenAPI path template, undefined when the request matched no operation. */
  record(method: string, route: string | undefined, status: number, seconds: number): void {
    const statusClass = statusClassOf(status);
    if (route === undefined || !statusClass || !this.inScope(method, route)) return;
    this.add({ minute: minuteOf(this.now()), method, route, statusClass, buckets: bucketsOf(seconds) });
  }

  /**
   * Adds what was recorded to the table; if that fails, it is kept for the next flush. Flushes run one
   * after another, so that once one resolves, every answer recorded before it was called is in the table.
   */
  flush(): Promise<void> {
    const minutes = [...this.pending.values()];
    this.pending = new Map();
    const flushed = this.flushing.catch(() => undefined).then(() => this.addToTable(minutes));
    this.flushing = flushed;
    return flushed;
  }

  private async addToTable(minutes: LatencyMinute[]): Promise<void> {
    try {
      await this.store.add(minutes);
    } catch (err) {
      for (const minute of minutes) this.add(minute);
      throw err;
    }
  }

  private add(minute: LatencyMinute): void {
    const key = keyOf(minute);
    const earlier = this.pending.get(key);
    this.pending.set(key, earlier ? { ...earlier, buckets: addBuckets(earlier.buckets, minute.buckets) } : minute);
  }
}
