import type { RequestLog } from '../shared/request-log';
import { countBy } from '../shared/count-by';
import { SimulatorState } from '../shared/simulator-state';
import type { Catalogue, PerformanceAvailability } from './catalogue';
import type { OrderBook, TessituraOrder } from './order-book';
import type { SaleBehaviour } from './sale-behaviour';
import type { SessionStore } from './session-store';
import type { WebSession } from './web-session';

/** What the Tessitura simulator recorded: live sessions, saved orders, seat availability, requests, told behaviour. */
export class TessituraState extends SimulatorState<TessituraOrder> {
  constructor(
    log: RequestLog,
    private readonly sessionStore: SessionStore,
    private readonly orderBook: OrderBook,
    private readonly catalogue: Catalogue,
    private readonly behaviour: SaleBehaviour,
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

  /**
   * How many returns were checked out per idempotency key (the return checkout's PaymentReference), saved
   * or still saving: more than 1 means a return was made twice.
   */
  returnCountsByKey(): Record<string, number> {
    return countBy(
      this.orders().flatMap((order) => order.returns),
      (orderReturn) => (orderReturn.paymentReference ? [orderReturn.paymentReference] : []),
    );
  }

  override snapshot(): Record<string, unknown> {
    return { ...super.snapshot(), returnCountsByKey: this.returnCountsByKey(), sessions: this.sessions(), behaviour: this.behaviour.snapshot() };
  }

  protected idempotencyKeysOf(order: TessituraOrder): string[] {
    return order.paymentReference ? [order.paymentReference] : [];
  }

  protected clear(): void {
    this.sessionStore.clear();
    this.orderBook.clear();
    this.catalogue.reset();
    this.behaviour.reset();
  }
}
