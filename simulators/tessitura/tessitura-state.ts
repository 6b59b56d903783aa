import type { RequestLog } from '../shared/request-log';
import { SimulatorState } from '../shared/simulator-state';
import type { Catalogue, PerformanceAvailability } from './catalogue';
import type { OrderBook, TessituraOrder } from './order-book';
import type { SessionStore } from './session-store';
import type { WebSession } from './web-session';

/** What the Tessitura simulator recorded: live sessions, saved orders, seat availability, requests. */
export class TessituraState extends SimulatorState<TessituraOrder> {
  constructor(
    log: RequestLog,
    private readonly sessionStore: SessionStore,
    private readonly orderBook: OrderBook,
    private readonly catalogue: Catalogue,
  ) {
    super(log);
  }

  /** Live (not expired) sessions; amounts in cents. */
  sessions(): WebSession[] {
    return structuredClone(this.sessionStore.all());
  }

  orders(): TessituraOrder[] {
    return this.orderBook.all();
  }

  availability(performanceId: number): PerformanceAvailability {
    return this.catalogue.availability(performanceId);
  }

  override snapshot(): Record<string, unknown> {
    return { ...super.snapshot(), sessions: this.sessions() };
  }

  protected idempotencyKeysOf(order: TessituraOrder): string[] {
    return order.paymentReference ? [order.paymentReference] : [];
  }

  protected clear(): void {
    this.sessionStore.clear();
    this.orderBook.clear();
    this.catalogue.reset();
  }
}
