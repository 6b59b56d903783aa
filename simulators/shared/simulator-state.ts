import { countBy } from './count-by';
import type { RecordedRequest, RequestLog } from './request-log';

/** Read access to what a simulator recorded; each simulator adds its own records. */
export abstract class SimulatorState<Order> {
  constructor(private readonly log: RequestLog) {}

  abstract orders(): Order[];

  /** The idempotency keys an order carries (how a simulator finds them is its own business). */
  protected abstract idempotencyKeysOf(order: Order): string[];

  /** Forgets the simulator's own records. */
  protected abstract clear(): void;

  requests(): RecordedRequest[] {
    return this.log.entries();
  }

  /** How many orders were created per idempotency key: more than 1 means a duplicate reached the system. */
  orderCountsByKey(): Record<string, number> {
    return countBy(this.orders(), (order) => this.idempotencyKeysOf(order));
  }

  reset(): void {
    this.clear();
    this.log.clear();
  }

  snapshot(): Record<string, unknown> {
    return { orders: this.orders(), orderCountsByKey: this.orderCountsByKey(), requests: this.log.summary() };
  }
}
