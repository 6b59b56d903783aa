import type { TargetBreaker } from '../../downstream/circuit-breaker';
import type { DownstreamTarget } from '../../downstream/downstream-error';
import type { components } from '../../generated/openapi';
import { decodeCursor, encodeCursor } from '../../platform/cursor';
import { Problem } from '../../platform/problem';
import type { Delivery, DeliveryStatus } from './delivery';
import type { DeliveryStore } from './delivery-store';

export type OutboxSummary = components['schemas']['OutboxSummary'];

export type DeliveryQuery = { status?: DeliveryStatus; target?: Delivery['target']; limit: number; cursor?: string };

/** Staff operations on the outbox. */
export class DeliveryService {
  constructor(
    private readonly deliveries: DeliveryStore,
    private readonly breakers: Record<DownstreamTarget, TargetBreaker>,
    private readonly deliveriesQueued: () => void,
  ) {}

  async summary(): Promise<OutboxSummary> {
    const backlog = await this.deliveries.backlog();
    return {
      targets: Object.values(this.breakers).map((breaker) => {
        const counts = backlog.get(breaker.target);
        return {
          target: breaker.target,
          breaker: breaker.state,
          pending: counts?.pending ?? 0,
          dead: counts?.dead ?? 0,
          oldest_pending_seconds: counts?.oldestPendingSeconds ?? null,
        };
      }),
    };
  }

  async list(query: DeliveryQuery): Promise<{ data: Delivery[]; next_cursor: string | null }> {
    const filter = { status: query.status ?? null, target: query.target ?? null };
    const beforeId = query.cursor === undefined ? undefined : decodeCursor<number>(query.cursor, filter);
    const rows = await this.deliveries.list({ status: query.status, target: query.target, beforeId, limit: query.limit + 1 });
    const data = rows.slice(0, query.limit);
    return { data, next_cursor: rows.length > query.limit ? encodeCursor(data[data.length - 1].id, filter) : null };
  }

  async retry(id: number, actor: string): Promise<Delivery> {
    const delivery = await this.deliveries.retry(id, actor);
    if (!delivery) throw new Problem('delivery_not_found', `No delivery has id ${id}.`);
    if (delivery.status === 'delivered') {
      throw new Problem('delivery_already_delivered', `Delivery ${id} was delivered; there is nothing to retry.`);
    }
    this.deliveriesQueued();
    return delivery;
  }
}
