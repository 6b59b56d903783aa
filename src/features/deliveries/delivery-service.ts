import type { components } from '../../generated/openapi';
import { decodeCursor, encodeCursor } from '../../platform/cursor';
import { schemaCheck } from '../../platform/openapi-document';
import type { OperationQuery } from '../../platform/operation-query';
import { Problem } from '../../platform/problem';
import type { Delivery } from './delivery';
import type { DeliveryStore } from './delivery-store';
import { downstreamSystems, type LiveTarget } from './targets/delivery-target';

export type OutboxSummary = components['schemas']['OutboxSummary'];

/** A page of deliveries ends at a delivery id. */
const checkPosition = schemaCheck({ type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

export type DeliveryQuery = OperationQuery<'listDeliveries', 'limit'>;

/** Staff operations on the outbox. */
export class DeliveryService {
  constructor(
    private readonly deliveries: DeliveryStore,
    private readonly targets: ReadonlyMap<string, LiveTarget>,
    private readonly deliveriesQueued: () => void,
  ) {}

  async summary(): Promise<OutboxSummary> {
    const backlog = await this.deliveries.backlog();
    return {
      targets: downstreamSystems(this.targets).map((target) => {
        const counts = backlog.get(target.name);
        return {
          target: target.name,
          breaker: target.breakerState(),
          pending: counts?.pending ?? 0,
          dead: counts?.dead ?? 0,
          oldest_pending_seconds: counts?.oldestPendingSeconds ?? null,
        };
      }),
    };
  }

  async list(query: DeliveryQuery): Promise<{ data: Delivery[]; next_cursor: string | null }> {
    const filter = { status: query.status ?? null, target: query.target ?? null };
    const beforeId = query.cursor === undefined ? undefined : decodeCursor<number>(query.cursor, filter, checkPosition);
    const rows = await this.deliveries.list({ status: query.status, target: query.target, beforeId, limit: query.limit + 1 });
    const data = rows.slice(0, query.limit);
    return { data, next_cursor: rows.length > query.limit ? encodeCursor(data[data.length - 1].id, filter) : null };
  }

  async retry(id: number, actor: string): Promise<Delivery> {
    const delivery = await this.deliveries.retry(id, actor, (target, progress) => this.targets.get(target)?.progressAfterRetry?.(progress) ?? progress);
    if (!delivery) throw new Problem('delivery_not_found', `No delivery has id ${id}.`);
    if (delivery.status === 'delivered') {
      throw new Problem('delivery_already_delivered', `Delivery ${id} was delivered; there is nothing to retry.`);
    }
    this.deliveriesQueued();
    return delivery;
  }
}
