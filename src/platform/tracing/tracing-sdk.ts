import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { describeRequestSpan } from './request-span';

/** The service's name unless OTEL_SERVICE_NAME (or OTEL_RESOURCE_ATTRIBUTES) names it otherwise. */
const DEFAULT_SERVICE_NAME = 'ticket-gateway';
/** Probes (the image's HEALTHCHECK every 10 s, the orchestrator's) would be most of a quiet gateway's traces. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz']);

/**
 * Starts the tracer provider (OTLP over HTTP, configured by the standard OTEL_* variables) and patches
 * http, express, pg, undici (fetch) and pino. Runs before those modules load; see `src/tracing.ts`.
 */
export function startTracing(): NodeTracerProvider {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': DEFAULT_SERVICE_NAME }).merge(detectResources({ detectors: [envDetector] })),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // The AsyncLocalStorage context manager, and W3C trace context (traceparent) and baggage propagation.
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        applyCustomAttributesOnSpan: describeRequestSpan,
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has(request.url ?? ''),
        requireParentforOutgoingSpans: true,
      }),
      // The handler's span only: one per middleware and per feature router passed (all mounted at the root)
      // would be a dozen a request, costing more than they tell.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER] }),
      // Only queries made for a request or a delivery: the dispatcher's and the jobs' polling would be a trace every second.
      new PgInstrumentation({ requireParentSpan: true }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
      // trace_id and span_id in every log line written inside a span; log records stay in the log, not in OTLP.
      new PinoInstrumentation({ disableLogSending: true }),
    ],
  });
  return provider;
}
