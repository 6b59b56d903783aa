import { errorNotice, h } from '../dom.js';
import { milliseconds, seconds, share } from '../format.js';
import { dataTable } from './data-table.js';
import { latencyChart } from './slo-chart.js';

const tile = (label, value, tone) => h('div', { class: `tile ${tone ? `tile-${tone}` : ''}` }, h('dt', {}, label), h('dd', {}, value));

function overview(report) {
  const { overall, objective } = report;
  const budgetTone = overall.error_budget_remaining === null || overall.error_budget_remaining > 0.25 ? 'good' : 'bad';
  return h(
    'dl',
    { class: 'tiles' },
    tile('Requests', String(overall.count)),
    tile('p95', milliseconds(overall.p95_ms)),
    tile('p99', milliseconds(overall.p99_ms)),
    tile('Within 5 s', share(overall.within_5s), overall.within_5s === null || overall.within_5s >= objective ? 'good' : 'bad'),
    tile('Error budget left', share(overall.error_budget_remaining), budgetTone),
  );
}

const endpointTable = (endpoints) =>
  dataTable({
    caption: 'Latency per endpoint',
    empty: 'No requests in this window.',
    rows: endpoints,
    columns: [
      { label: 'Endpoint', cell: (row) => [h('strong', {}, row.operation), h('div', { class: 'hint' }, `${row.method} ${row.route}`)] },
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
      `Covers the last ${seconds(report.window_seconds)} this gateway process has served.`,
    ),
    overview(report),
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
