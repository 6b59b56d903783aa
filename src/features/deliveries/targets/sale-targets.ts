import type { TargetBreaker } from '../../../downstream/circuit-breaker';
import type { ClaimedDelivery, Progress, Sale, SendContext } from '../delivery';
import { UndeliverableError } from '../delivery';
import type { ConnectedTarget, PartnerEvent, TargetRuntime } from './delivery-target';

/** The sale a sale target's delivery carries (a claim always joins it for them). */
export const saleOf = (delivery: ClaimedDelivery): Sale => delivery.sale as Sale;

/** What a downstream flow resumes from and saves to: the delivery's progress, and the send's context. */
export const progressContext = <P extends Progress>(delivery: ClaimedDelivery, context: SendContext) => ({
  progress: delivery.progress as P,
  saveProgress: context.saveProgress,
  signal: context.signal,
});

/** Refuses to send while any of the named mappings is missing: only someone fixing them can help. */
export function requireMappings(missing: (string | false)[]): void {
  const named = missing.filter((m): m is string => m !== false);
  if (named.length > 0) throw new UndeliverableError(`Missing mapping: ${named.join('; ')}.`);
}

/** How a downstream record names the sale it came from. */
export const saleNote = (sale: Sale) => `${sale.partner_id} order ${sale.order_id} (hold ${sale.global_id})`;

/** A sale delivery went dead: the partner is told which sale and which system (not the venue's error). */
export const saleFailed = (delivery: ClaimedDelivery): PartnerEvent => {
  const sale = saleOf(delivery);
  return { type: 'sale.failed', data: { global_id: sale.global_id, order_id: sale.order_id, target: delivery.target } };
};

/** A target whose calls all go through its downstream system's breaker, and whose sends its adaptive limit bounds. */
export function guardedByOneBreaker(
  name: string,
  runtime: TargetRuntime,
  connect: (breaker: TargetBreaker) => Pick<ConnectedTarget, 'send' | 'findRecorded'>,
): ConnectedTarget {
  const breaker = runtime.breaker(name);
  return {
    ...connect(breaker),
    concurrency: runtime.concurrencyLimit(name),
    breakerFor: () => breaker,
    breakerState: () => breaker.state,
    onBreakerChange: (listener) => breaker.onStateChange(listener),
    shutdown: () => breaker.shutdown(),
  };
}
