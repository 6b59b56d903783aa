import type { AddressInfo } from 'node:net';
import type { Response } from 'supertest';
import type { components } from '../../src/generated/openapi';
import { eventually } from '../support/eventually';
import { listingInput, uniqueId } from '../support/fixtures';
import { dashboardExpressions, RULES_FILE, rules } from '../support/monitoring-files';
import { describeWith, type PrometheusServer, startPrometheus } from '../support/prometheus-server';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

type SloReport = components['schemas']['SloReport'];

const PARTNER_REQUESTS = 'http_request_duration_seconds_count{route=~"/v1/holds.*|/v1/invoices.*"}';
const RECORDED_RATIO = 'ticket_gateway:partner_requests_good:ratio_rate5m';
/** Holds whose ids start so fail in the database, with a constraint the gateway knows nothing of: 500s on demand. */
const FAILING = 'failing';
const LIMIT_MS = 120_000;
const POLL_MS = 250;
/** Requests at once: a little load, not a storm. */
const CONCURRENCY = 8;

describeWith('prometheus')('a real Prometheus scraping a gateway, with the rules loaded', () => {
  let t: TestGateway;
  let prometheus: PrometheusServer;
  let partner: string;
  let monitor: string;
  let listing: string;
  let soldOut: string;
  /** The status of every partner-facing request made. */
  const statuses: number[] = [];

  beforeAll(async () => {
    t = await startTestGateway();
    const inventory = await t.createKey('inventory');
    [partner, monitor] = await Promise.all([t.createKey('partner', 'tevo'), t.createKey('monitor')]);
    [listing, soldOut] = [uniqueId('listing'), uniqueId('sold-out')];
    await t.http.put(`/v1/listings/${listing}`).set('X-Api-Key', inventory).send(listingInput({ quantity: 1_000 })).expect(201);
    await t.http.put(`/v1/listings/${soldOut}`).set('X-Api-Key', inventory).send(listingInput({ quantity: 1 })).expect(201);
    await t.db.knex.raw(`ALTER TABLE holds ADD CONSTRAINT refuses_failing_holds CHECK (global_id NOT LIKE '${FAILING}-%')`);
    prometheus = await startPrometheus({ target: t.server.address() as AddressInfo, bearerToken: monitor, ruleFiles: [RULES_FILE] });
  }, LIMIT_MS);
  afterAll(async () => {
    await prometheus?.close();
    await t?.close();
  });

  const hold = (globalId: string, remoteId = listing) => () =>
    t.http.post('/v1/holds').set('X-Api-Key', partner).send({ global_id: globalId, remote_id: remoteId, quantity: 1 });
  const release = (globalId: string) => () => t.http.post(`/v1/holds/${globalId}/release`).set('X-Api-Key', partner);

  async function partnerRequests(requests: (() => Promise<Response>)[]): Promise<void> {
    for (let i = 0; i < requests.length; i += CONCURRENCY) {
      const answers = await Promise.all(requests.slice(i, i + CONCURRENCY).map((request) => request()));
      statuses.push(...answers.map((answer) => answer.status));
    }
  }

  /** One of each answer: created, replayed, sold out, not found, failed. */
  const oneOfEach = () => {
    const created = uniqueId('hold');
    return [hold(created), hold(created), hold(uniqueId('hold'), soldOut), release(uniqueId('never-held')), hold(uniqueId(FAILING))];
  };

  /** The value of a query answering one sample, undefined when it answers none. */
  const value = async (expr: string) => {
    const [sample] = await prometheus.query(expr);
    return sample === undefined ? undefined : Number(sample.value[1]);
  };
  const scrapedPartnerRequests = async (count: number) => eventually(() => value(`sum(${PARTNER_REQUESTS})`), (seen) => seen === count, LIMIT_MS, POLL_MS);

  it("when partners hold, replay, make mistakes and meet 500s, then the recorded SLO ratio agrees with the gateway's /v1/slo", async () => {
    await partnerRequests([hold(uniqueId('hold'), soldOut)]); // its only ticket
    // Each series exists and has been scraped before the load: rate() cannot count what happened before a
    // series' first scrape (it only extrapolates towards it), so a series created by the load itself could
    // lose most of it.
    await partnerRequests(oneOfEach());
    const beforeLoad = statuses.length;
    expect(await scrapedPartnerRequests(beforeLoad)).toBe(beforeLoad);

    const load = Array.from({ length: 40 }, () => [...oneOfEach(), hold(uniqueId('hold')), hold(uniqueId('hold'))]).flat();
    await partnerRequests(load);

    expect(new Set(statuses)).toEqual(new Set([201, 200, 409, 404, 500]));
    const failed = statuses.filter((status) => status >= 500).length;
    expect(await scrapedPartnerRequests(statuses.length)).toBe(statuses.length);
    const lastScrape = await value(`max(timestamp(${PARTNER_REQUESTS}))`);
    const recordedAt = await eventually(() => value(`timestamp(${RECORDED_RATIO})`), (at) => at !== undefined && at >= lastScrape!, LIMIT_MS, POLL_MS);
    expect(recordedAt).toBeGreaterThanOrEqual(lastScrape!);
    const recorded = await value(RECORDED_RATIO);

    const report = (await t.http.get('/v1/slo?window=5m').set('X-Api-Key', monitor).expect(200)).body as SloReport;

    // The test's database is new, so the report, like the recorded ratio, counts everything since the gateway
    // started. Its overall counts every operation callers use, but the others (keys, listings) do not fail, so
    // its good share of the partner requests is 1 - bad / their number: about 0.86 here, far enough from 1 that
    // a rule counting 4xx as bad, or missing 5xx, is off by far more than the tolerance. (Bad also counts
    // answers slower than 5 s, which a loaded machine might make of one.)
    expect(report.overall.bad).toBeGreaterThanOrEqual(failed);
    const gatewayGood = 1 - report.overall.bad / statuses.length;
    expect(gatewayGood).toBeLessThan(0.9);
    // The scrape boundary: rate() may miss what each series' first scrape held, the requests before the load.
    expect(Math.abs(recorded! - gatewayGood)).toBeLessThanOrEqual(beforeLoad / (statuses.length - beforeLoad));
  }, LIMIT_MS * 2);

  it('when the rules have been evaluated, then every one is healthy, and every rule and dashboard expression evaluates', async () => {
    const names = rules().map((rule) => rule.record ?? rule.alert);
    const loaded = await eventually(
      () => prometheus.rules(),
      (evaluated) => evaluated.length === names.length && evaluated.every((rule) => rule.health === 'ok'),
      LIMIT_MS,
      POLL_MS,
    );

    expect(loaded.filter((rule) => rule.health !== 'ok')).toEqual([]);
    expect(loaded.map((rule) => rule.name).sort()).toEqual(names.sort());
    const refused: string[] = [];
    for (const expr of [...rules().map((rule) => rule.expr), ...dashboardExpressions()]) {
      await prometheus.query(expr).catch((err: Error) => refused.push(err.message));
    }
    expect(refused).toEqual([]);
  }, LIMIT_MS);
});
