import express from 'express';
import { listen } from '../shared/http-listener';

type AttributeValue = string | number | boolean;
type OtlpAttribute = { key: string; value: { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number } };
type OtlpSpan = { traceId: string; spanId: string; parentSpanId?: string; name: string; attributes?: OtlpAttribute[] };
type OtlpTraces = { resourceSpans?: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[] };

/** A span as the sink keeps it: ids in hex, attributes (its resource's under `resource`) as a plain object. */
export type ReceivedSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, AttributeValue>;
  resource: Record<string, AttributeValue>;
};

export type OtlpSink = {
  /** What OTEL_EXPORTER_OTLP_ENDPOINT is set to (the exporter adds /v1/traces). */
  endpoint: string;
  /** Every span received so far (none when the sink drops them). */
  spans: ReceivedSpan[];
  close(): Promise<void>;
};

const valueOf = ({ value }: OtlpAttribute): AttributeValue =>
  value.stringValue ?? value.boolValue ?? value.doubleValue ?? Number(value.intValue ?? Number.NaN);
const attributesOf = (attributes: OtlpAttribute[] = []) => Object.fromEntries(attributes.map((attribute) => [attribute.key, valueOf(attribute)]));

function spansOf(traces: OtlpTraces): ReceivedSpan[] {
  return (traces.resourceSpans ?? []).flatMap(({ resource, scopeSpans = [] }) =>
    scopeSpans.flatMap(({ spans = [] }) =>
      spans.map(({ traceId, spanId, parentSpanId, name, attributes }) => ({
        traceId,
        spanId,
        ...(parentSpanId && { parentSpanId }),
        name,
        attributes: attributesOf(attributes),
        resource: attributesOf(resource?.attributes),
      })),
    ),
  );
}

/**
 * A trace collector's OTLP/HTTP JSON endpoint on loopback: `keep` collects the spans (tests), otherwise
 * they are read and dropped (the bench, which measures what exporting costs the gateway, not a collector).
 */
export async function startOtlpSink({ keep }: { keep: boolean }): Promise<OtlpSink> {
  const spans: ReceivedSpan[] = [];
  const app = express();
  app.disable('x-powered-by');
  app.post('/v1/traces', keep ? express.json({ limit: '16mb' }) : (req, _res, next) => req.resume().once('end', next), (req, res) => {
    if (keep) spans.push(...spansOf(req.body as OtlpTraces));
    res.json({});
  });
  const listener = await listen(app, {});
  return { endpoint: listener.origin, spans, close: () => listener.close() };
}
