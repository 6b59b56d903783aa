import { errorNotice, h } from '../dom.js';
import { milliseconds, orDash, seconds, share } from '../format.js';
import { dataTable } from './data-table.js';
import { latencyChart } from './slo-chart.js';

const tile = (label, value, tone) => h('div', { class: `tile ${tone ? `tile-${tone}` : ''}` }, h('dt', {}, label), h('dd', {}, value));

const budgetTone = (remaining) => (remaining === null || remaining > 0.25 ? 'good' : 'bad');

function overview(report) {
  const { overall, objective } = report;
  return h(
    'dl',
    { class: 'tiles' },
    tile('Requests', String(overall.count)),
    tile('p95', milliseconds(overall.p95_ms)),
    tile('p99', milliseconds(overall.p99_ms)),
    tile('Within 5 s', share(overall.within_5s), overall.within_5s === null || overall.within_5s >= objective ? 'good' : 'bad'),
    tile('Budget left, this window', share(overall.error_budget_remaining), budgetTone(overall.error_budget_remaining)),
    tile('Budget left, 30 days', share(report.error_budget_30d.error_budget_remaining), budgetTone(report.error_budget_30d.error_budget_remaining)),
  );
}

const WINDOW_NAMES = { '5m': 'Last 5 minutes', '1h': 'Last hour', '6h': 'Last 6 hours', '3d': 'Last 3 days' };
const burnRate = (rate) => orDash(rate === null ? null : `${rate.toFixed(rate < 10 ? 2 : 0)}×`);

/** How fast the budget burns: 1× spends it exactly in 30 days; above 1× it runs out sooner. */
function burnRates(report) {
  return h(
    'div',
    {},
    h('h3', {}, 'Budget burn rate'),
    h('p', { class: 'hint' }, '1× spends the 30-day budget exactly in 30 days; 14× spends it in about two days.'),
    h(
      'dl',
      { class: 'tiles' },
      report.burn_rates.map((tally) => tile(WINDOW_NAMES[tally.window] ?? tally.window, burnRate(tally.burn_rate), tally.burn_rate > 1 ? 'bad' : 'good')),
    ),
  );
}

const endpointTable = (endpoints) =>
  dataTable({
    caption: 'Response times per operation',
    empty: 'No requests in this window.',
    rows: endpoints,
    columns: [
      { label: 'Operation', cell: (row) => [h('strong', {}, row.name), h('div', { class: 'hint' }, `${row.method} ${row.route}`)] },
      { label: 'Requests', numeric: true, cell: (row) => String(row.count) },
      { label: 'p50', numeric: true, cell: (row) => milliseconds(row.p50_ms) },
      { label: 'p95', numeric: true, cell: (row) => milliseconds(row.p95_ms) },
      { label: 'p99', numeric: true, cell: (row) => milliseconds(row.p99_ms) },
      { label: 'Within 5 s', numeric: true, cell: (row) => share(row.within_5s) },
      { label: 'Budget left', numeric: true, cell: (row) => share(row.error_budget_remaining) },
    ],
  });

function sloReport(report) {
  const endpoints = report.endpoints.filter((endpoint) => endpoint.count > 0);
  return h(
    'div',
    {},
    h(
      'p',
      { class: 'hint' },
      `Objective: ${share(report.objective)} of answers within ${report.threshold_seconds} s without a server error. `,
      `What callers felt over the last ${seconds(report.window_seconds)}, from every gateway process (probes and metrics left out).`,
    ),
    overview(report),
    burnRates(report),
    endpoints.length ? latencyChart(endpoints, report.objective) : null,
    endpointTable(endpoints),
  );
}

/** The latency SLO report over the chosen window, as numbers, a chart and a table. */
export function createSloPanel({ form, report, api }) {
  async function load() {
    try {
      report.replaceChildren(sloReport(await api.getSlo(new FormData(form).get('window'))));
    } catch (error) {
      report.replaceChildren(errorNotice(error, 'The response-time report'));
    }
  }
  form.addEventListener('change', load);
  form.addEventListener('submit', (event) => event.preventDefault());
  return {
    load,
    reset() {
      form.reset();
      report.replaceChildren();
    },
  };
}
