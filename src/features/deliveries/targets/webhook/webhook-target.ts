import { type BreakerIgnores, type BreakerState, TargetBreaker } from '../../../../downstream/circuit-breaker';
import { DownstreamError } from '../../../../downstream/downstream-error';
import { WebhookEndpointStore } from '../../../webhooks/webhook-endpoint-store';
import { sendWebhook } from '../../../webhooks/webhook-request';
import { SIGNATURE_HEADER, signWebhook } from '../../../webhooks/webhook-signature';
import { type ClaimedDelivery, type RecordedPartnerEvent, UndeliverableError } from '../../delivery';
import type { ConnectedTarget, DeliverySender, DeliveryTarget, TargetRuntime } from '../delivery-target';

/**
 * After each failed attempt, the wait before the next: about Ticket Evolution's (10 s, 2 min, 10 min,
 * 1 h), then longer, so that an endpoint is tried for over 24 hours before its event is dead.
 */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [10e3, 120e3, 600e3, 3_600e3, 3 * 3_600e3, 6 * 3_600e3, 6 * 3_600e3, 8 * 3_600e3];

const BREAKER_SEVERITY: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

type WebhookPayload = { endpoint_id: string };

/** The body a receiver gets: the event, the same bytes on every retry. */
export const webhookBody = (event: RecordedPartnerEvent): string =>
  JSON.stringify({ id: event.id, type: event.type, created_at: event.created_at, data: event.data });

const endpointOf = (delivery: ClaimedDelivery) => (delivery.payload as WebhookPayload).endpoint_id;

/**
 * A receiver answering 4xx (a wrong URL, a signature it rejects, a gone endpoint) is not taking the events:
 * that counts toward its breaker like a 5xx. Only 429 does not: the receiver is busy, not broken.
 */
const RECEIVER_BUSY: BreakerIgnores = (err) => err instanceof DownstreamError && err.status === 429;

/** One breaker per endpoint, made when first needed, so that one partner's dead endpoint never slows another's. */
export class EndpointBreakers {
  private readonly breakers = new Map<string, TargetBreaker>();
  private readonly listeners: ((state: BreakerState) => void)[] = [];

  constructor(private readonly runtime: Pick<TargetRuntime, 'logger' | 'breakerSettings'>) {}

  of(endpointId: string): TargetBreaker {
    let breaker = this.breakers.get(endpointId);
    if (!breaker) {
      breaker = new TargetBreaker(`webhook ${endpointId}`, this.runtime.logger, this.runtime.breakerSettings, RECEIVER_BUSY);
      for (const listener of this.listeners) breaker.onStateChange(listener);
      this.breakers.set(endpointId, breaker);
    }
    return breaker;
  }

  worstState(): BreakerState {
    const states = [...this.breakers.values()].map((breaker) => breaker.state);
    return states.reduce<BreakerState>((worst, state) => (BREAKER_SEVERITY[state] > BREAKER_SEVERITY[worst] ? state : worst), 'closed');
  }

  onStateChange(listener: (state: BreakerState) => void): void {
    this.listeners.push(listener);
    for (const breaker of this.breakers.values()) breaker.onStateChange(listener);
  }

  shutdown(): void {
    for (const breaker of this.breakers.values()) breaker.shutdown();
  }
}

function webhookSender(runtime: TargetRuntime, breakers: EndpointBreakers): DeliverySender {
  const endpoints = new WebhookEndpointStore(runtime.db, runtime.webhooks.secretKey);
  return async (delivery, context) => {
    const event = delivery.partnerEvent as RecordedPartnerEvent;
    const endpoint = await endpoints.findForDelivery(endpointOf(delivery));
    if (!endpoint || endpoint.deleted) throw new UndeliverableError('The webhook endpoint was deleted; its events are no longer sent.');
    const body = webhookBody(event);
    const { status } = await breakers.of(endpoint.id).run(() =>
      sendWebhook({
        url: endpoint.url,
        body,
        headers: { [SIGNATURE_HEADER]: signWebhook(endpoint.secrets, body, Math.floor(Date.now() / 1000)), 'Gateway-Event-Id': event.id },
        allowPrivate: runtime.webhooks.allowPrivateUrls,
        timeoutMs: runtime.webhooks.timeoutMs,
        signal: context.signal,
      }),
    );
    return {
      acknowledgment: { endpoint_id: endpoint.id, event_id: event.id, event_type: event.type, status },
      summary: `${event.type} ${event.id} to ${new URL(endpoint.url).origin}: HTTP ${status}`,
    };
  };
}

/** Partners' webhook endpoints: each partner event, signed, to every endpoint of its partner that asked for it. */
export const webhookTarget: DeliveryTarget = {
  name: 'webhook',
  kind: 'event',
  connect(runtime): ConnectedTarget {
    const breakers = new EndpointBreakers(runtime);
    const delays = runtime.webhooks.retryDelaysMs ?? WEBHOOK_RETRY_DELAYS_MS;
    return {
      send: webhookSender(runtime, breakers),
      // Each partner's receiver is another system: no one latency to adapt to, so the most is allowed.
      concurrency: { current: runtime.concurrency.max },
      breakerFor: (delivery) => breakers.of(endpointOf(delivery)),
      breakerState: () => breakers.worstState(),
      onBreakerChange: (listener) => breakers.onStateChange(listener),
      // Jittered upwards only, so that the whole schedule still spans the promised time.
      retryDelayMs: (failedAttempts) => (failedAttempts <= delays.length ? delays[failedAttempts - 1] * (1 + Math.random() / 5) : undefined),
      shutdown: () => breakers.shutdown(),
    };
  },
};
