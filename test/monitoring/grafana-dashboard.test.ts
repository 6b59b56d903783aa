import { dashboard, dashboardExpressions, rules } from '../support/monitoring-files';
import { exposedSeriesNames, metricNames, parsesAsPromql } from '../support/promql';
import { startTestGateway } from '../support/test-gateway';

const GATEWAY_START_LIMIT_MS = 120_000;

describe('the Grafana dashboard', () => {
  it('when it is read, then it is a dashboard model: uid, title, and panels that each query Prometheus', () => {
    const { uid, title, schemaVersion, panels } = dashboard();

    expect({ uid, title, schemaVersion }).toEqual({ uid: 'ticket-gateway', title: 'Ticket Gateway', schemaVersion: expect.any(Number) });
    expect(panels.length).toBeGreaterThan(0);
    for (const panel of panels) {
      expect(panel).toMatchObject({
        type: expect.stringMatching(/^(stat|timeseries)$/),
        title: expect.any(String),
        gridPos: { x: expect.any(Number), y: expect.any(Number), w: expect.any(Number), h: expect.any(Number) },
        datasource: { type: 'prometheus', uid: '${datasource}' },
      });
      const targets = panel.targets ?? [];
      expect(targets.length).toBeGreaterThan(0);
      expect(new Set(targets.map((target) => target.refId)).size).toBe(targets.length);
    }
  });

  it('when its expressions are parsed with PromQL grammar, then every one is valid', () => {
    const invalid = dashboardExpressions().filter((expr) => !parsesAsPromql(expr));

    expect(invalid).toEqual([]);
    expect(parsesAsPromql('sum(rate(http_request_duration_seconds_count[5m])')).toBe(false);
  });

  it(
    "when a gateway's /metrics is read, then every metric the dashboard and the rules select is one it exposes (or a recorded one)",
    async () => {
      const t = await startTestGateway();
      try {
        const monitor = await t.createKey('monitor');
        const exposed = exposedSeriesNames((await t.http.get('/metrics').set('Authorization', `Bearer ${monitor}`).expect(200)).text);
        const recorded = new Set(rules().flatMap((rule) => rule.record ?? []));
        // `up` is the series Prometheus itself writes for every target it scrapes.
        const known = (name: string) => exposed.has(name) || recorded.has(name) || name === 'up';
        const selected = [...dashboardExpressions(), ...rules().map((rule) => rule.expr)].flatMap(metricNames);

        expect(selected.filter((name) => !known(name))).toEqual([]);
        // The names were found at all: raw series, recorded ones and Prometheus's own.
        expect(selected).toEqual(expect.arrayContaining(['http_request_duration_seconds_bucket', 'ticket_gateway_db_pool_connections', 'ticket_gateway:partner_requests_good:ratio_rate3d', 'up']));
      } finally {
        await t.close();
      }
    },
    GATEWAY_START_LIMIT_MS,
  );
});
