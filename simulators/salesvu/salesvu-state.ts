import type { RequestLog } from '../shared/request-log';
import { SimulatorState } from '../shared/simulator-state';
import type { OrderStore, SalesVuOrder } from './order-store';

/** A note comment of this form carries the gateway's idempotency key. */
const KEY_NOTE = /^gateway-key:(.+)$/;

/** What the SalesVu simulator recorded: orders of every store, requests. */
export class SalesVuState extends SimulatorState<SalesVuOrder> {
  constructor(
    log: RequestLog,
    private readonly store: OrderStore,
  ) {
    super(log);
  }

  /** All orders, or those of one store. */
  orders(storeId?: string): SalesVuOrder[] {
    return this.store.list(storeId);
  }

  protected idempotencyKeysOf(order: SalesVuOrder): string[] {
    const comments = [...order.order_details.flatMap((detail) => detail.notes), ...order.notes].map((note) => note.comment);
    return comments.flatMap((comment) => KEY_NOTE.exec(comment.trim())?.[1] ?? []);
  }

  protected clear(): void {
    this.store.clear();
  }
}
