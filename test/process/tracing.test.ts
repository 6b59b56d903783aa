import type { ReceivedSpan } from '../../simulators/otlp-sink/start-otlp-sink';
import { type OtlpSink, startOtlpSink } from '../../simulators/otlp-sink/start-otlp-sink';
import { eventually } from '../support/eventually';
import { startExternalDownstream } from '../support/external-downstream';
import { listingInput } from '../support/fixtures';
import { freshDatabase, type GatewayProcess, spawnGateway } from '../support/gateway-process';
import { jsonPost, untilAnswered } from '../support/patient-client';
import { MAPPED_LISTING } from '../support/sales';
import { postgresOnly } from '../support/test-database';
import { startWebhookReceiver } from '../support/webhook-receiver';

/*
 * Auto-instrumentation patches modules as Node's own `require` loads them, which jest's module loader
 * bypasses: so the gateway runs as its own process (the image's entry point, src/main.ts), exporting with
 * the real OTLP/HTTP exporter to a collector's endpoint in this test, which keeps what it receives.
 */

const ADMIN_API_KEY = 'tracing-suite-admin-key-0123456789abcdefghij';
const HOLD_REQUEST_ID = 'traced-hold-request';
/** Generous for a loaded machine: deliveries, and spans batched by the exporter. */
const WITHIN_MS = 30_000;

jest.setTimeout(120_000);

type LogLine = { msg: string; req?: { id: string }; trace_id?: string; span_id?: string };
const logLines = (gateway: GatewayProcess): LogLine[] =>
  gateway
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

/**
 * Probes the gateway's health, registers the partner's webhook, lists a mapped listing, then the partner holds two tickets (with a known
 * request id) and invoices them.
 */
async function sellTwoTickets(port: number, webhookUrl: string): Promise<void> {
  const base = `http://127.0.0.1:${port}`;
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  const call = (path: string, key: string, body: unknown, headers: Record<string, string> = {}) =>
    untilAnswered(() => `${base}${path}`, { ...jsonPost(key, body), headers: { ...jsonPost(key, body).headers, ...headers } });
  const partner = (await call('/v1/api-keys', ADMIN_API_KEY, { name: 'tevo', role: 'partner', partner_id: 'tevo' })).body.key as string;
  const inventory = (await call('/v1/api-keys', ADMIN_API_KEY, { name: 'feed', role: 'inventory' })).body.key as string;
  expect((await call('/v1/webhooks', ADMIN_API_KEY, { partner_id: 'tevo', url: webhookUrl, events: ['sale.recorded'] })).status).toBe(201);
  await call('/v1/listings/batch', inventory, { listings: [{ remote_id: 'traced', ...listingInput(MAPPED_LISTING) }] });
  const hold = await call('/v1/holds', partner, { global_id: 'traced-sale', remote_id: 'traced', quantity: 2 }, { 'X-Request-Id': HOLD_REQUEST_ID });
  expect(hold.status).toBe(201);
  expect((await call('/v1/invoices', partner, { global_id: 'traced-sale', order_id: 'o-traced' })).status).toBe(201);
}

/** Runs the gateway with `env`, sells two tickets and waits until Tessitura and SalesVu have their sale and the partner is told. */
async function saleThrough(env: Record<string, string>) {
  const database = await freshDatabase();
  const downstream = await startExternalDownstream();
  const webhooks = await startWebhookReceiver();
  const gateway = spawnGateway({ ...downstream.env, ...database.env, ADMIN_API_KEY, WEBHOOK_ALLOW_PRIVATE_URLS: 'true', ...env }, 'production');
  try {
    await sellTwoTickets(await gateway.listening, webhooks.url);
    await eventually(async () => webhooks.received.length, (received) => received > 0, WITHIN_MS);
    const sent = (requests: { traceparent: string | null }[]) => requests.map(({ traceparent }) => traceparent);
    // What each target was sent in `traceparent`, call by call.
    const traceparents: Record<'tessitura' | 'salesvu' | 'webhook', (string | null)[]> = {
      tessitura: sent(downstream.tessitura.state.requests()),
      salesvu: sent(downstream.salesvu.state.requests()),
      webhook: webhooks.received.map(({ headers }) => (headers.traceparent as string | undefined) ?? null),
    };
    return { gateway, traceparents };
  } finally {
    // A clean stop: the exporter sends what it still holds.
    await gateway.stop();
    await Promise.all([downstream.close(), webhooks.close()]);
    await database.dispose();
  }
}

const traceIdOf = (traceparent: string | null) => /^00-([0-9a-f]{32})-[0-9a-f]{16}-0[01]$/.exec(traceparent ?? '')?.[1];

describe('tracing', () => {
  describe('when OTEL_EXPORTER_OTLP_ENDPOINT names a collector', () => {
    let sink: OtlpSink;
    let sale: Awaited<ReturnType<typeof saleThrough>>;
    let holdSpan: ReceivedSpan;

    beforeAll(async () => {
      sink = await startOtlpSink({ keep: true });
      sale = await saleThrough({ OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, OTEL_SERVICE_NAME: 'gateway-under-test' });
      const holdSpans = sink.spans.filter((span) => span.attributes['gateway.operation'] === 'createHold');
      expect(holdSpans).toHaveLength(1);
      holdSpan = holdSpans[0];
    });
    afterAll(() => sink?.close());

    it('then the request span names the operation and the partner that called it', () => {
      expect(holdSpan).toMatchObject({
        name: 'POST /v1/holds',
        attributes: { 'http.route': '/v1/holds', 'gateway.partner': 'tevo', 'gateway.role': 'partner', 'gateway.actor': expect.stringMatching(/^tevo#/) },
        resource: { 'service.name': 'gateway-under-test' },
      });
      expect(holdSpan.parentSpanId).toBeUndefined();
    });

    it('then a health probe is not traced', () => {
      expect(holdSpan.attributes['url.path']).toBe('/v1/holds');
      expect(sink.spans.filter((span) => span.attributes['url.path'] === '/healthz')).toEqual([]);
    });

    it("then the request's log line carries its trace and span ids", () => {
      const line = logLines(sale.gateway).find((entry) => entry.req?.id === HOLD_REQUEST_ID);
      expect(line).toMatchObject({ msg: 'request completed', trace_id: holdSpan.traceId, span_id: holdSpan.spanId });
    });

    it("then a delivery attempt's log line carries its trace", () => {
      const attempts = sink.spans.filter((span) => span.name.startsWith('deliver '));
      const delivered = logLines(sale.gateway).filter((entry) => entry.msg === 'delivered');
      expect(delivered.map((entry) => [entry.trace_id, entry.span_id]).sort()).toEqual(attempts.map((span) => [span.traceId, span.spanId]).sort());
    });

    it('then each delivery attempt is a span of its own naming its target and kind', () => {
      const attempts = sink.spans.filter((span) => span.name.startsWith('deliver '));
      expect(attempts.map(({ name, attributes }) => [name, attributes['delivery.target'], attributes['delivery.kind'], attributes['delivery.outcome']]).sort()).toEqual([
        ['deliver salesvu sale', 'salesvu', 'sale', 'delivered'],
        ['deliver tessitura sale', 'tessitura', 'sale', 'delivered'],
        ['deliver webhook event', 'webhook', 'event', 'delivered'],
      ]);
      for (const attempt of attempts) expect(attempt.parentSpanId).toBeUndefined();
    });

    it.each(['tessitura', 'salesvu', 'webhook'] as const)("then %s was sent the trace of its delivery attempt in every call's traceparent", (target) => {
      const attempt = sink.spans.find((span) => span.attributes['delivery.target'] === target);
      const sent = sale.traceparents[target];
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.map(traceIdOf)).toEqual(sent.map(() => attempt?.traceId));
      // Each call is a client span of the attempt, in the same trace.
      const calls = sink.spans.filter((span) => span.traceId === attempt?.traceId && span.parentSpanId === attempt?.spanId && span.name !== attempt?.name);
      expect(calls.length).toBeGreaterThan(0);
    });

    postgresOnly('the pg instrumentation traces the pg driver; PGlite is queried without it')('on PostgreSQL', () => {
      it("then the request's queries are spans within its trace", () => {
        const trace = sink.spans.filter((span) => span.traceId === holdSpan.traceId);
        const queries = trace.filter((span) => span.attributes['db.system.name'] === 'postgresql');
        expect(queries.length).toBeGreaterThan(0);
        const spanIds = trace.map((span) => span.spanId);
        for (const query of queries) expect(spanIds).toContain(query.parentSpanId);
      });
    });
  });

  describe('when OTEL_EXPORTER_OTLP_ENDPOINT is not set', () => {
    let sink: OtlpSink;
    let sale: Awaited<ReturnType<typeof saleThrough>>;

    beforeAll(async () => {
      sink = await startOtlpSink({ keep: true });
      // Other OTEL_* variables, even the traces endpoint itself, do not turn tracing on.
      sale = await saleThrough({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${sink.endpoint}/v1/traces`, OTEL_SERVICE_NAME: 'gateway-under-test' });
    });
    afterAll(() => sink?.close());

    it('then no span is sent', () => {
      expect(sink.spans).toEqual([]);
    });

    it('then Tessitura, SalesVu and the webhook receiver are sent no traceparent', () => {
      const sent = Object.values(sale.traceparents).flat();
      expect(sent.length).toBeGreaterThan(3);
      expect(sent.filter((traceparent) => traceparent !== null)).toEqual([]);
    });

    it('then no log line has trace fields', () => {
      const lines = logLines(sale.gateway);
      expect(lines.find((entry) => entry.req?.id === HOLD_REQUEST_ID)).toBeDefined();
      expect(lines.filter((entry) => 'trace_id' in entry || 'span_id' in entry)).toEqual([]);
    });
  });
});
