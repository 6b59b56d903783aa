import { context, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ClaimedDelivery } from './delivery';

// The API's no-op tracer unless tracing is on (src/tracing.ts): then each of these costs next to nothing.
const tracer = trace.getTracer('ticket-gateway/deliveries');

/**
 * Runs one delivery attempt in a span of its own, the root of a trace: the request that queued the
 * delivery has long been answered. The target's calls go out inside it, so Tessitura, SalesVu and webhook
 * receivers are sent its trace in `traceparent`.
 */
export function inAttemptSpan(delivery: ClaimedDelivery, attempt: () => Promise<void>): Promise<void> {
  const attributes = {
    'delivery.id': delivery.id,
    'delivery.target': delivery.target,
    'delivery.kind': delivery.kind,
    'delivery.attempt': delivery.attempts + 1,
  };
  return tracer.startActiveSpan(`deliver ${delivery.target} ${delivery.kind}`, { root: true, attributes }, (span) =>
    attempt().finally(() => span.end()),
  );
}

/** Records the current attempt's outcome on its span; `error` marks the attempt failed. */
export function noteAttemptOutcome(outcome: string, error?: string): void {
  const span = trace.getActiveSpan();
  span?.setAttribute('delivery.outcome', outcome);
  if (error !== undefined) span?.setStatus({ code: SpanStatusCode.ERROR, message: error });
}

/** Runs `work` outside the caller's trace: dispatching woken by a request is no part of that request. */
export const outsideAnyTrace = <T>(work: () => T): T => context.with(ROOT_CONTEXT, work);
