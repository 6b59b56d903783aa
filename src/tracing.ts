import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type * as TracingSdk from './platform/tracing/tracing-sdk';

/**
 * Imported first by every process's entry point, so that tracing, when OTEL_EXPORTER_OTLP_ENDPOINT turns it
 * on, patches http, express, pg and pino before they load. Off, nothing of the SDK is even loaded.
 */
const provider: NodeTracerProvider | undefined = process.env.OTEL_EXPORTER_OTLP_ENDPOINT
  ? // A require, not an import: it must run synchronously, and only when tracing is on.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('./platform/tracing/tracing-sdk') as typeof TracingSdk).startTracing()
  : undefined;

/** Sends the spans still buffered and stops tracing (at shutdown; nothing to do when tracing is off). */
export async function stopTracing(): Promise<void> {
  await provider?.shutdown();
}
